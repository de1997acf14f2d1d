-- Demo data for local development, applied after the migrations by `supabase db reset` and by the local
-- stack (`make db-up`). The demo investor set (3,000 generated angels, funds and fund employees, and 400
-- service companies) is loaded after this file by the local stack itself, and on any other database by
-- `sidecar seed --preset demo --seed 42` (the same rows: the generator is deterministic).

-- A demo founder. The signup trigger gives them a profile, 200 credits and an onboarding row.
insert into auth.users (id, instance_id, aud, role, email, encrypted_password, email_confirmed_at,
                        raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('de000000-0000-4000-8000-000000000001', '00000000-0000-0000-0000-000000000000', 'authenticated',
        'authenticated', 'demo@0bullshit.local', extensions.crypt('demo-password', extensions.gen_salt('bf')), now(),
        '{"provider": "email", "providers": ["email"]}', '{"display_name": "Demo Founder", "language": "es"}',
        now(), now())
on conflict (id) do nothing;

insert into public.projects (id, user_id, name, description, categories, stage, country, city, business_model,
                             target_market, metrics, team, problem, product_status, funding_ask_usd)
values ('de000000-0000-4000-8000-0000000000a1', 'de000000-0000-4000-8000-000000000001', 'Verdana Pay',
        'Cobros B2B por QR para comercios de barrio, con conciliación automática.',
        '{fintech,saas}', 'pre_seed', 'ES', 'Madrid', 'SaaS por suscripción + comisión por transacción',
        'Pequeños comercios en España', '{"mrr": 4200, "users": 310}',
        '{"size": 3, "roles": ["CEO", "CTO", "Ventas"]}',
        'Los comercios pagan comisiones altas por TPV y tardan días en conciliar cobros.', 'launched', 400000)
on conflict (id) do nothing;

insert into public.conversations (id, user_id, project_id, title)
values ('de000000-0000-4000-8000-0000000000c1', 'de000000-0000-4000-8000-000000000001',
        'de000000-0000-4000-8000-0000000000a1', 'Primera ronda')
on conflict (id) do nothing;
