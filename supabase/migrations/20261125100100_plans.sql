-- Plans and credit costs are data, so the business can change prices and limits without a deploy.

create table public.plans (
  id                  text primary key check (id ~ '^[a-z][a-z0-9_]{1,29}$'),
  name                text not null,
  price_cents         integer not null check (price_cents >= 0),
  currency            char(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  billing_interval    text check (billing_interval in ('month', 'year')),
  initial_credits     integer not null default 0 check (initial_credits >= 0),
  daily_credits       integer not null check (daily_credits >= 0),
  max_projects        integer check (max_projects > 0),          -- null: unlimited
  search_result_limit integer not null default 15 check (search_result_limit > 0),
  outreach_enabled    boolean not null default false,
  features            text[] not null default '{}',
  stripe_price_id     text unique,
  sort_order          integer not null default 0,
  active              boolean not null default true,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  check ((price_cents = 0) = (billing_interval is null))
);
comment on table public.plans is 'Subscription plans. Daily credits refill at 00:00 UTC and are spent before the balance; max_projects null means unlimited.';

create trigger plans_touch before update on public.plans
  for each row execute function private.touch_updated_at();

insert into public.plans
  (id, name, price_cents, billing_interval, initial_credits, daily_credits, max_projects, search_result_limit, outreach_enabled, features, sort_order)
values
  ('free', 'Free', 0, null, 200, 50, 1, 5, false,
   '{Basic AI chat,Limited investor search,Basic analytics}', 0),
  ('pro', 'Pro', 1900, 'month', 0, 150, 5, 15, false,
   '{Unlimited AI chat,Advanced investor search,Full analytics,Priority support}', 1),
  ('outreach', 'Outreach', 4900, 'month', 0, 200, null, 30, true,
   '{Everything in Pro,LinkedIn automation,Outreach campaigns,Personalised message generation,Advanced analytics}', 2);

create table public.credit_costs (
  action      text primary key check (action ~ '^[a-z][a-z0-9_]{1,39}$'),
  credits     integer not null check (credits >= 0),
  description text not null,
  updated_at  timestamptz not null default now()
);
comment on table public.credit_costs is 'Credits charged per action. Spam replies and failed turns are never charged.';

create trigger credit_costs_touch before update on public.credit_costs
  for each row execute function private.touch_updated_at();

insert into public.credit_costs (action, credits, description) values
  ('chat_turn', 1, 'One answered chat message'),
  ('investor_search', 50, 'One investor search (angels and funds)'),
  ('employee_search', 25, 'One fund-employee search'),
  ('company_search', 25, 'One service-company search'),
  ('outreach_message', 5, 'One AI-personalised outreach message');

alter table public.plans enable row level security;
alter table public.credit_costs enable row level security;
create policy "active plans are public" on public.plans for select to anon, authenticated using (active);
create policy "credit costs are public" on public.credit_costs for select to anon, authenticated using (true);
grant select on public.plans, public.credit_costs to anon, authenticated;
grant select, insert, update, delete on public.plans, public.credit_costs to service_role;
