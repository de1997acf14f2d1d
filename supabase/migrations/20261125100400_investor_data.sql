-- Investor data: angels, funds, the people at funds, and service companies.
-- Sectors are ids from public.sectors, stages are public.funding_stage; "strong" is what an investor is
-- known for and counts more than "general". Contact details never leave through the Data API: these
-- tables are granted to no client role, and users reach them only through the search functions.

create function private.valid_sector_ids(p text[]) returns boolean
language sql immutable set search_path = '' as $$
  select coalesce(bool_and(s ~ '^[a-z][a-z0-9_]{1,39}$'), true) from unnest(p) s
$$;

create table public.angel_investors (
  id                 uuid primary key default gen_random_uuid(),
  linkedin_url       text not null unique check (linkedin_url ~ '^https://www\.linkedin\.com/in/[^/?#[:space:]]+$'),
  full_name          text not null check (char_length(btrim(full_name)) between 1 and 200),
  headline           text check (char_length(headline) <= 500),
  about              text check (char_length(about) <= 10000),
  email              text check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  profile_pic_url    text check (profile_pic_url ~ '^https?://'),
  location           text check (char_length(location) <= 300),
  city               text check (char_length(city) <= 100),
  region             text check (char_length(region) <= 100),
  country            char(2) references public.countries (code),
  categories_strong  text[] not null default '{}' check (private.valid_sector_ids(categories_strong)),
  categories_general text[] not null default '{}' check (private.valid_sector_ids(categories_general)),
  stages_strong      public.funding_stage[] not null default '{}',
  stages_general     public.funding_stage[] not null default '{}',
  check_min_usd      bigint check (check_min_usd > 0),
  check_max_usd      bigint check (check_max_usd > 0),
  score              numeric(5, 2) not null default 0 check (score between 0 and 100),
  reasons_en         text,
  reasons_es         text,
  source             text not null default 'import',
  data_updated_at    timestamptz not null default now(),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  search_doc         tsvector generated always as (
                       setweight(to_tsvector('simple'::regconfig, full_name), 'A')
                       || setweight(to_tsvector('simple'::regconfig, coalesce(headline, '')), 'B')
                       || setweight(to_tsvector('simple'::regconfig, coalesce(about, '')), 'C')) stored,
  check (check_min_usd is null or check_max_usd is null or check_min_usd <= check_max_usd)
);
comment on table public.angel_investors is 'Business angels. score is the quality score 0-100; data_updated_at is when the profile was last verified.';

create table public.investment_funds (
  id                 uuid primary key default gen_random_uuid(),
  name               text not null check (char_length(btrim(name)) between 1 and 200),
  linkedin_url       text unique check (linkedin_url ~ '^https://www\.linkedin\.com/(company|school|showcase)/[^/?#[:space:]]+$'),
  website            text check (website ~ '^https?://'),
  description        text check (char_length(description) <= 10000),
  email              text check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  phone              text check (char_length(phone) <= 40),
  location           text check (char_length(location) <= 300),
  city               text check (char_length(city) <= 100),
  region             text check (char_length(region) <= 100),
  country            char(2) references public.countries (code),
  categories_strong  text[] not null default '{}' check (private.valid_sector_ids(categories_strong)),
  categories_general text[] not null default '{}' check (private.valid_sector_ids(categories_general)),
  stages_strong      public.funding_stage[] not null default '{}',
  stages_general     public.funding_stage[] not null default '{}',
  check_min_usd      bigint check (check_min_usd > 0),
  check_max_usd      bigint check (check_max_usd > 0),
  score              numeric(5, 2) not null default 0 check (score between 0 and 100),
  source             text not null default 'import',
  data_updated_at    timestamptz not null default now(),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  search_doc         tsvector generated always as (
                       setweight(to_tsvector('simple'::regconfig, name), 'A')
                       || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'C')) stored,
  check (check_min_usd is null or check_max_usd is null or check_min_usd <= check_max_usd)
);
comment on table public.investment_funds is 'VC funds and investment firms. Names are unique (case-insensitive): employees are matched to funds by name on import.';
create unique index investment_funds_name_key on public.investment_funds (lower(name));

create table public.fund_employees (
  id                 uuid primary key default gen_random_uuid(),
  fund_id            uuid not null references public.investment_funds (id) on delete cascade,
  linkedin_url       text not null unique check (linkedin_url ~ '^https://www\.linkedin\.com/in/[^/?#[:space:]]+$'),
  full_name          text not null check (char_length(btrim(full_name)) between 1 and 200),
  headline           text check (char_length(headline) <= 500),
  job_title          text check (char_length(job_title) <= 200),
  seniority          text not null default 'other'
                     check (seniority in ('analyst', 'associate', 'principal', 'partner', 'managing_partner', 'venture_partner', 'other')),
  email              text check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  profile_pic_url    text check (profile_pic_url ~ '^https?://'),
  location           text check (char_length(location) <= 300),
  city               text check (char_length(city) <= 100),
  region             text check (char_length(region) <= 100),
  country            char(2) references public.countries (code),
  categories_strong  text[] not null default '{}' check (private.valid_sector_ids(categories_strong)),
  categories_general text[] not null default '{}' check (private.valid_sector_ids(categories_general)),
  stages_strong      public.funding_stage[] not null default '{}',
  stages_general     public.funding_stage[] not null default '{}',
  score              numeric(4, 2) not null default 0 check (score between 0 and 10),
  source             text not null default 'import',
  data_updated_at    timestamptz not null default now(),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  search_doc         tsvector generated always as (
                       setweight(to_tsvector('simple'::regconfig, full_name), 'A')
                       || setweight(to_tsvector('simple'::regconfig, coalesce(headline, '') || ' ' || coalesce(job_title, '')), 'B')) stored
);
comment on table public.fund_employees is 'People at funds (partners, principals...). score is 0-10. Empty categories/stages mean "as the fund".';

create table public.companies (
  id                 uuid primary key default gen_random_uuid(),
  name               text not null check (char_length(btrim(name)) between 1 and 200),
  linkedin_url       text unique check (linkedin_url ~ '^https://www\.linkedin\.com/(company|school|showcase)/[^/?#[:space:]]+$'),
  website            text check (website ~ '^https?://'),
  description        text check (char_length(description) <= 10000),
  email              text check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  phone              text check (char_length(phone) <= 40),
  service_category   text not null check (service_category ~ '^[a-z][a-z0-9_]{1,39}$'),
  sectors            text[] not null default '{}' check (private.valid_sector_ids(sectors)),
  keywords           text[] not null default '{}',
  location           text check (char_length(location) <= 300),
  city               text check (char_length(city) <= 100),
  region             text check (char_length(region) <= 100),
  country            char(2) references public.countries (code),
  relevance_score    numeric(5, 2) not null default 0 check (relevance_score between 0 and 100),
  source             text not null default 'import',
  data_updated_at    timestamptz not null default now(),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  search_doc         tsvector generated always as (
                       setweight(to_tsvector('simple'::regconfig, name), 'A')
                       || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'C')) stored
);
comment on table public.companies is 'Service providers for startups (legal, accounting, development, marketing...). service_category is a slug; sectors are the startup sectors they serve.';

-- Indexes for search: array overlap (GIN), geography, quality, names (trigram) and text (full-text).
create index angel_investors_cat_strong_idx on public.angel_investors using gin (categories_strong);
create index angel_investors_cat_general_idx on public.angel_investors using gin (categories_general);
create index angel_investors_stages_idx on public.angel_investors using gin (stages_strong, stages_general);
create index angel_investors_country_score_idx on public.angel_investors (country, score desc);
create index angel_investors_score_idx on public.angel_investors (score desc);
create index angel_investors_name_trgm_idx on public.angel_investors using gin (full_name extensions.gin_trgm_ops);
create index angel_investors_search_idx on public.angel_investors using gin (search_doc);

create index investment_funds_cat_strong_idx on public.investment_funds using gin (categories_strong);
create index investment_funds_cat_general_idx on public.investment_funds using gin (categories_general);
create index investment_funds_stages_idx on public.investment_funds using gin (stages_strong, stages_general);
create index investment_funds_country_score_idx on public.investment_funds (country, score desc);
create index investment_funds_name_trgm_idx on public.investment_funds using gin (name extensions.gin_trgm_ops);
create index investment_funds_search_idx on public.investment_funds using gin (search_doc);

create index fund_employees_fund_idx on public.fund_employees (fund_id, score desc);
create index fund_employees_score_idx on public.fund_employees (score desc);
create index fund_employees_cat_idx on public.fund_employees using gin (categories_strong, categories_general);
create index fund_employees_name_trgm_idx on public.fund_employees using gin (full_name extensions.gin_trgm_ops);
create index fund_employees_search_idx on public.fund_employees using gin (search_doc);

create index companies_category_idx on public.companies (service_category, relevance_score desc);
create index companies_sectors_idx on public.companies using gin (sectors);
create index companies_keywords_idx on public.companies using gin (keywords);
create index companies_country_idx on public.companies (country);
create index companies_name_trgm_idx on public.companies using gin (name extensions.gin_trgm_ops);
create index companies_search_idx on public.companies using gin (search_doc);

-- Sector ids must exist in the taxonomy. Checked once per statement over the new rows (a set-based anti-join),
-- so a million-row COPY pays one join, not a million lookups.
create function private.check_investor_sectors() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_bad text;
begin
  if tg_table_name = 'companies' then
    select string_agg(distinct s, ', ') into v_bad
    from new_rows r, unnest(r.sectors) s
    where not exists (select 1 from public.sectors t where t.id = s);
  else
    select string_agg(distinct s, ', ') into v_bad
    from new_rows r, unnest(r.categories_strong || r.categories_general) s
    where not exists (select 1 from public.sectors t where t.id = s);
  end if;
  if v_bad is not null then
    raise exception 'unknown sector id(s) in %: %', tg_table_name, v_bad
      using errcode = '23514', hint = 'Sector ids come from public.sectors; map labels with public.sector_id().';
  end if;
  return null;
end $$;

create trigger angel_investors_sectors_ins after insert on public.angel_investors
  referencing new table as new_rows for each statement execute function private.check_investor_sectors();
create trigger angel_investors_sectors_upd after update on public.angel_investors
  referencing new table as new_rows for each statement execute function private.check_investor_sectors();
create trigger investment_funds_sectors_ins after insert on public.investment_funds
  referencing new table as new_rows for each statement execute function private.check_investor_sectors();
create trigger investment_funds_sectors_upd after update on public.investment_funds
  referencing new table as new_rows for each statement execute function private.check_investor_sectors();
create trigger fund_employees_sectors_ins after insert on public.fund_employees
  referencing new table as new_rows for each statement execute function private.check_investor_sectors();
create trigger fund_employees_sectors_upd after update on public.fund_employees
  referencing new table as new_rows for each statement execute function private.check_investor_sectors();
create trigger companies_sectors_ins after insert on public.companies
  referencing new table as new_rows for each statement execute function private.check_investor_sectors();
create trigger companies_sectors_upd after update on public.companies
  referencing new table as new_rows for each statement execute function private.check_investor_sectors();

create trigger angel_investors_touch before update on public.angel_investors
  for each row execute function private.touch_updated_at();
create trigger investment_funds_touch before update on public.investment_funds
  for each row execute function private.touch_updated_at();
create trigger fund_employees_touch before update on public.fund_employees
  for each row execute function private.touch_updated_at();
create trigger companies_touch before update on public.companies
  for each row execute function private.touch_updated_at();

-- RLS on, no policy for anon/authenticated, no grant to them: the Data API cannot list this data.
alter table public.angel_investors enable row level security;
alter table public.investment_funds enable row level security;
alter table public.fund_employees enable row level security;
alter table public.companies enable row level security;
grant select, insert, update, delete on public.angel_investors, public.investment_funds,
  public.fund_employees, public.companies to service_role;
grant execute on function private.valid_sector_ids(text[]) to service_role;
