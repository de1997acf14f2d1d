package agents

import (
	"testing"

	"github.com/zerobullshit/backend/sidecar/localstack/pgtest"
)

func TestLibrarianCountsInvestors(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.Exec(t, `
insert into public.angel_investors (linkedin_url, full_name, country, categories_strong, categories_general, stages_strong, stages_general)
values
  ('https://www.linkedin.com/in/a1', 'A1', 'ES', '{fintech}', '{fintech,saas}', '{seed}', '{pre_seed,seed}'),
  ('https://www.linkedin.com/in/a2', 'A2', 'ES', '{saas}', '{fintech}', '{}', '{seed}'),
  ('https://www.linkedin.com/in/a3', 'A3', 'ES', '{fintech}', '{fintech}', '{series_a}', '{series_a}'),
  ('https://www.linkedin.com/in/a4', 'A4', 'FR', '{fintech}', '{fintech}', '{seed}', '{seed}'),
  ('https://www.linkedin.com/in/a5', 'A5', 'FR', '{climate}', '{climate}', '{seed}', '{seed}');
insert into public.investment_funds (name, email, phone, country, categories_strong, categories_general, stages_strong, stages_general)
values
  ('Alpha Fintech', 'deals@alpha.vc', '+34 600 000 000', 'ES', '{fintech}', '{fintech}', '{seed}', '{pre_seed,seed,series_a}'),
  ('Verde Capital', null, null, 'FR', '{climate}', '{climate,energy}', '{seed}', '{seed}'),
  ('Sol Climate', null, null, 'FR', '{energy}', '{climate}', '{series_a}', '{series_a}'),
  ('Iberia Growth', null, null, 'ES', '{saas}', '{saas}', '{growth}', '{growth}');`)
	a := New(Options{DB: db.Pool, Log: quiet()})
	cases := []struct {
		name, lang, text string
		want             [][]string
		notWant          []string
	}{
		{"seed fintech spain", "en", "How many seed fintech investors are there in Spain?",
			[][]string{{"**2** business angels and **1** fund that invest in Fintech at seed stage, based in Spain"}}, nil},
		{"climate funds france", "es", "¿Cuántos fondos de climate hay en Francia?",
			[][]string{{"hay **2** fondos que invierten en Clima y sostenibilidad, con sede en Francia"}},
			[]string{"business angels"}},
		{"angels only", "en", "how many business angels invest in fintech?", [][]string{{"**4** business angels that invest in Fintech"}}, []string{"funds"}},
		{"totals", "es", "¿Cuántos inversores tenéis en la base de datos?", [][]string{{"**5** business angels y **4** fondos en total"}}, nil},
		{"none", "en", "how many series c biotech funds are there in Germany?", [][]string{{"**0** funds"}, {"widening"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			rep, err := a.Librarian(t.Context(), Request{Text: c.text, Language: c.lang}, rec.send)
			if err != nil {
				t.Fatal(err)
			}
			checkReply(t, rep, rec, c.lang, c.want, append(c.notWant, "alpha.vc", "600 000"))
		})
	}

	// A broken database fails the turn (wrapped error) rather than inventing a number.
	db.Exec(t, `alter table public.investment_funds rename to investment_funds_gone`)
	if _, err := a.Librarian(t.Context(), Request{Text: "how many fintech funds are there?", Language: "en"}, nil); err == nil {
		t.Fatal("no error from a failing count query")
	}
}
