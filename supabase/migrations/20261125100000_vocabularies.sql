-- Shared vocabularies: funding stages, product status, the sector taxonomy and countries.
-- Projects, investors, search and the judge all speak these, in snake_case.

create extension if not exists pg_trgm with schema extensions;

-- Service-only functions live here: never exposed through the Data API (PostgREST serves public only)
-- and never executable by anon/authenticated.
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to service_role;

-- Plain Postgres grants EXECUTE on every new function to PUBLIC. Functions must be granted on purpose.
alter default privileges for role postgres revoke execute on functions from public;
-- The platform's 2026 defaults still hand TRUNCATE, REFERENCES and TRIGGER on new tables (TRUNCATE ignores
-- RLS) and UPDATE on new sequences to the API roles. Nothing here needs them: every grant is explicit.
alter default privileges for role postgres in schema public
  revoke truncate, references, trigger on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on sequences from anon, authenticated, service_role;

create type public.funding_stage as enum ('idea', 'pre_seed', 'seed', 'series_a', 'series_b', 'series_c', 'growth');
comment on type public.funding_stage is 'Funding stage of a startup or an investor''s focus, in order.';

create type public.product_status as enum ('idea', 'prototype', 'mvp', 'launched', 'revenue');
comment on type public.product_status is 'How far the product itself is; separate from the funding stage.';

-- Keeps updated_at honest on every table that has one.
create function private.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

-- Sectors ---------------------------------------------------------------------------------------

create table public.sectors (
  id        text primary key check (id ~ '^[a-z][a-z0-9_]{1,39}$'),
  label_en  text not null check (length(label_en) between 1 and 60),
  label_es  text not null check (length(label_es) between 1 and 60),
  synonyms  text[] not null default '{}',
  related   text[] not null default '{}'
);
comment on table public.sectors is 'Sector taxonomy. synonyms are lower-case alternative names (English and Spanish); related are sector ids that count as a partial match.';

insert into public.sectors (id, label_en, label_es, synonyms, related) values
  ('fintech', 'Fintech', 'Fintech', '{financial services,payments,banking,neobank,lending,wealthtech,servicios financieros,pagos,banca,finanzas}', '{insurtech,crypto,saas}'),
  ('insurtech', 'Insurtech', 'Insurtech', '{insurance,seguros}', '{fintech,healthtech}'),
  ('crypto', 'Crypto & Web3', 'Cripto y Web3', '{web3,blockchain,defi,cryptocurrency,criptomonedas}', '{fintech}'),
  ('healthtech', 'Healthtech', 'Salud digital', '{health,digital health,medtech,healthcare,salud,sanidad,salud digital}', '{biotech,ai,consumer}'),
  ('biotech', 'Biotech', 'Biotecnología', '{biotechnology,life sciences,pharma,biotecnologia,biotecnología,ciencias de la vida}', '{healthtech,deeptech}'),
  ('edtech', 'Edtech', 'Educación', '{education,e-learning,elearning,educacion,educación,formacion,formación}', '{saas,consumer}'),
  ('proptech', 'Proptech', 'Proptech', '{real estate,property,inmobiliario,construccion,construcción,contech}', '{fintech,marketplace}'),
  ('climate', 'Climate tech', 'Clima y sostenibilidad', '{climate tech,cleantech,sustainability,green,carbon,clima,sostenibilidad,medio ambiente}', '{energy,mobility,agritech}'),
  ('energy', 'Energy', 'Energía', '{renewables,renewable energy,solar,batteries,energia,energía,renovables}', '{climate,deeptech}'),
  ('saas', 'SaaS', 'SaaS', '{software,b2b software,enterprise software,b2b,software empresarial}', '{ai,devtools,hrtech}'),
  ('marketplace', 'Marketplaces', 'Marketplaces', '{marketplaces,platform,two-sided marketplace,plataforma}', '{ecommerce,consumer}'),
  ('ai', 'Artificial intelligence', 'Inteligencia artificial', '{artificial intelligence,machine learning,ml,genai,generative ai,llm,inteligencia artificial,ia,aprendizaje automatico}', '{saas,deeptech,devtools}'),
  ('consumer', 'Consumer', 'Consumo', '{b2c,consumer apps,consumo,apps de consumo}', '{ecommerce,marketplace,social}'),
  ('ecommerce', 'E-commerce & retail', 'E-commerce y retail', '{e-commerce,retail,d2c,dtc,online retail,comercio electronico,comercio electrónico}', '{consumer,marketplace,logistics}'),
  ('mobility', 'Mobility', 'Movilidad', '{transport,transportation,automotive,ev,movilidad,transporte}', '{logistics,climate}'),
  ('logistics', 'Logistics & supply chain', 'Logística', '{supply chain,delivery,shipping,logistica,logística,cadena de suministro}', '{mobility,ecommerce}'),
  ('foodtech', 'Foodtech', 'Foodtech', '{food,food delivery,alimentacion,alimentación,restauracion,restauración}', '{agritech,consumer}'),
  ('agritech', 'Agritech', 'Agritech', '{agriculture,agtech,farming,agricultura,agro}', '{foodtech,climate}'),
  ('gaming', 'Gaming', 'Videojuegos', '{games,video games,esports,videojuegos,juegos}', '{consumer,media}'),
  ('media', 'Media & entertainment', 'Medios y entretenimiento', '{entertainment,content,creator economy,medios,entretenimiento,contenido}', '{consumer,social,gaming}'),
  ('social', 'Social', 'Redes sociales', '{social network,community,social media,redes sociales,comunidad}', '{consumer,media}'),
  ('cybersecurity', 'Cybersecurity', 'Ciberseguridad', '{security,infosec,ciberseguridad,seguridad informatica}', '{saas,devtools}'),
  ('devtools', 'Developer tools', 'Herramientas para desarrolladores', '{developer tools,infrastructure,cloud,open source,devops,infraestructura}', '{saas,ai,cybersecurity}'),
  ('deeptech', 'Deep tech', 'Deep tech', '{deep tech,quantum,robotics,semiconductors,space,robotica,robótica,espacio}', '{hardware,ai,biotech}'),
  ('hardware', 'Hardware & IoT', 'Hardware e IoT', '{iot,internet of things,devices,electronics,dispositivos}', '{deeptech,mobility}'),
  ('hrtech', 'HR tech & future of work', 'RR. HH. y empleo', '{hr,recruiting,future of work,talent,recursos humanos,empleo,reclutamiento}', '{saas,edtech}'),
  ('legaltech', 'Legaltech', 'Legaltech', '{legal,law,regtech,compliance,derecho,cumplimiento normativo}', '{saas,fintech}'),
  ('traveltech', 'Travel & hospitality', 'Turismo y hostelería', '{travel,tourism,hospitality,turismo,viajes,hosteleria,hostelería}', '{consumer,marketplace}'),
  ('martech', 'Marketing & sales tech', 'Marketing y ventas', '{marketing,adtech,sales,advertising,publicidad,ventas}', '{saas,ai}'),
  ('govtech', 'Govtech & public sector', 'Govtech y sector público', '{government,public sector,civic tech,sector publico,sector público,administracion}', '{saas,legaltech}');

-- related ids must exist: checked once here and by the pgTAP suite.
do $$
declare bad text;
begin
  select string_agg(r, ', ') into bad
  from public.sectors s, unnest(s.related) r
  where not exists (select 1 from public.sectors t where t.id = r);
  if bad is not null then
    raise exception 'sectors.related names unknown sectors: %', bad;
  end if;
end $$;

-- Maps any label, synonym or id (either language, any case) to the sector id; null when unknown.
create function public.sector_id(p_name text) returns text
language sql stable set search_path = '' as $$
  select s.id
  from public.sectors s
  where s.id = lower(btrim(p_name))
     or lower(s.label_en) = lower(btrim(p_name))
     or lower(s.label_es) = lower(btrim(p_name))
     or lower(btrim(p_name)) = any (s.synonyms)
  order by (s.id = lower(btrim(p_name))) desc, s.id
  limit 1
$$;
comment on function public.sector_id(text) is 'Sector id for a label, synonym or id in English or Spanish; null when unknown.';

-- Normalises a list of sector names to distinct, sorted ids; raises (P0001) naming any unknown one.
create function public.normalize_sectors(p_names text[]) returns text[]
language plpgsql stable set search_path = '' as $$
declare
  v_ids text[] := '{}';
  v_name text;
  v_id text;
begin
  if p_names is null then
    return '{}';
  end if;
  foreach v_name in array p_names loop
    continue when v_name is null or btrim(v_name) = '';
    v_id := public.sector_id(v_name);
    if v_id is null then
      raise exception 'unknown sector "%"', v_name
        using errcode = 'P0001', hint = 'Use a sector id or label from public.sectors (e.g. fintech, saas, healthtech).';
    end if;
    if not v_id = any (v_ids) then
      v_ids := v_ids || v_id;
    end if;
  end loop;
  return array(select unnest(v_ids) order by 1);
end $$;

-- Countries (ISO 3166-1 alpha-2) ----------------------------------------------------------------

create table public.countries (
  code     char(2) primary key check (code ~ '^[A-Z]{2}$'),
  name_en  text not null,
  name_es  text not null,
  region   text not null check (region in ('europe', 'north_america', 'latam', 'asia', 'middle_east', 'africa', 'oceania'))
);
comment on table public.countries is 'ISO 3166-1 alpha-2 countries we serve, with the region used for geographic matching. Extend by migration.';

insert into public.countries (code, name_en, name_es, region) values
  ('ES', 'Spain', 'España', 'europe'), ('PT', 'Portugal', 'Portugal', 'europe'), ('FR', 'France', 'Francia', 'europe'),
  ('DE', 'Germany', 'Alemania', 'europe'), ('IT', 'Italy', 'Italia', 'europe'), ('GB', 'United Kingdom', 'Reino Unido', 'europe'),
  ('IE', 'Ireland', 'Irlanda', 'europe'), ('NL', 'Netherlands', 'Países Bajos', 'europe'), ('BE', 'Belgium', 'Bélgica', 'europe'),
  ('LU', 'Luxembourg', 'Luxemburgo', 'europe'), ('CH', 'Switzerland', 'Suiza', 'europe'), ('AT', 'Austria', 'Austria', 'europe'),
  ('SE', 'Sweden', 'Suecia', 'europe'), ('NO', 'Norway', 'Noruega', 'europe'), ('DK', 'Denmark', 'Dinamarca', 'europe'),
  ('FI', 'Finland', 'Finlandia', 'europe'), ('IS', 'Iceland', 'Islandia', 'europe'), ('PL', 'Poland', 'Polonia', 'europe'),
  ('CZ', 'Czechia', 'Chequia', 'europe'), ('SK', 'Slovakia', 'Eslovaquia', 'europe'), ('HU', 'Hungary', 'Hungría', 'europe'),
  ('RO', 'Romania', 'Rumanía', 'europe'), ('BG', 'Bulgaria', 'Bulgaria', 'europe'), ('GR', 'Greece', 'Grecia', 'europe'),
  ('HR', 'Croatia', 'Croacia', 'europe'), ('SI', 'Slovenia', 'Eslovenia', 'europe'), ('EE', 'Estonia', 'Estonia', 'europe'),
  ('LV', 'Latvia', 'Letonia', 'europe'), ('LT', 'Lithuania', 'Lituania', 'europe'), ('UA', 'Ukraine', 'Ucrania', 'europe'),
  ('MT', 'Malta', 'Malta', 'europe'), ('CY', 'Cyprus', 'Chipre', 'europe'), ('AD', 'Andorra', 'Andorra', 'europe'),
  ('US', 'United States', 'Estados Unidos', 'north_america'), ('CA', 'Canada', 'Canadá', 'north_america'),
  ('MX', 'Mexico', 'México', 'latam'), ('BR', 'Brazil', 'Brasil', 'latam'), ('AR', 'Argentina', 'Argentina', 'latam'),
  ('CL', 'Chile', 'Chile', 'latam'), ('CO', 'Colombia', 'Colombia', 'latam'), ('PE', 'Peru', 'Perú', 'latam'),
  ('UY', 'Uruguay', 'Uruguay', 'latam'), ('PY', 'Paraguay', 'Paraguay', 'latam'), ('BO', 'Bolivia', 'Bolivia', 'latam'),
  ('EC', 'Ecuador', 'Ecuador', 'latam'), ('VE', 'Venezuela', 'Venezuela', 'latam'), ('CR', 'Costa Rica', 'Costa Rica', 'latam'),
  ('PA', 'Panama', 'Panamá', 'latam'), ('DO', 'Dominican Republic', 'República Dominicana', 'latam'),
  ('GT', 'Guatemala', 'Guatemala', 'latam'), ('SV', 'El Salvador', 'El Salvador', 'latam'), ('PR', 'Puerto Rico', 'Puerto Rico', 'latam'),
  ('IL', 'Israel', 'Israel', 'middle_east'), ('AE', 'United Arab Emirates', 'Emiratos Árabes Unidos', 'middle_east'),
  ('SA', 'Saudi Arabia', 'Arabia Saudí', 'middle_east'), ('TR', 'Turkey', 'Turquía', 'middle_east'), ('QA', 'Qatar', 'Catar', 'middle_east'),
  ('IN', 'India', 'India', 'asia'), ('CN', 'China', 'China', 'asia'), ('JP', 'Japan', 'Japón', 'asia'), ('KR', 'South Korea', 'Corea del Sur', 'asia'),
  ('SG', 'Singapore', 'Singapur', 'asia'), ('HK', 'Hong Kong', 'Hong Kong', 'asia'), ('ID', 'Indonesia', 'Indonesia', 'asia'),
  ('VN', 'Vietnam', 'Vietnam', 'asia'), ('TH', 'Thailand', 'Tailandia', 'asia'), ('MY', 'Malaysia', 'Malasia', 'asia'), ('PH', 'Philippines', 'Filipinas', 'asia'),
  ('AU', 'Australia', 'Australia', 'oceania'), ('NZ', 'New Zealand', 'Nueva Zelanda', 'oceania'),
  ('ZA', 'South Africa', 'Sudáfrica', 'africa'), ('NG', 'Nigeria', 'Nigeria', 'africa'), ('KE', 'Kenya', 'Kenia', 'africa'),
  ('EG', 'Egypt', 'Egipto', 'africa'), ('MA', 'Morocco', 'Marruecos', 'africa'), ('GH', 'Ghana', 'Ghana', 'africa');

-- Reference data is public (pricing and signup forms need it), read-only.
alter table public.sectors enable row level security;
alter table public.countries enable row level security;
create policy "sectors are public" on public.sectors for select to anon, authenticated using (true);
create policy "countries are public" on public.countries for select to anon, authenticated using (true);
grant select on public.sectors, public.countries to anon, authenticated, service_role;

grant execute on function public.sector_id(text), public.normalize_sectors(text[]) to anon, authenticated, service_role;
