package judge

import "testing"

func TestStartupName(t *testing.T) {
	for text, want := range map[string]string{
		// Introduced by name.
		"Somos Verdana Pay, una fintech en fase seed en Madrid":                "Verdana Pay",
		"Hola! somos Kibo, una startup de logística":                           "Kibo",
		"We are Acme Robotics, a seed-stage hardware startup":                  "Acme Robotics",
		"Hi, we're N26x, an app for freelancers":                               "N26x",
		"Nos llamamos Cobro.io y ayudamos a pymes a cobrar":                    "Cobro.io",
		"Nuestra startup se llama «Tempo», hacemos nóminas":                    "Tempo",
		"Our company is called \"Fieldwise\" and we sell to farmers":           "Fieldwise",
		"my startup is called Lumen Health.":                                   "Lumen Health",
		"Te cuento: somos ALMA AI, una healthtech de Barcelona con 3 personas": "ALMA AI",
		// Not a name.
		"Somos una fintech de Madrid en fase pre-seed":  "",
		"We are Spanish, a team of three engineers":     "",
		"We are Madrid, a city":                         "",
		"Somos Fintech, una empresa":                    "",
		"We are Series A, a bit late for angels":        "",
		"we are raising a seed round":                   "",
		"Mi cofundador se llama Juan y es CTO":          "",
		"We work with a company called Stripe":          "",
		"Somos 3 cofundadores con experiencia en banca": "",
		"Estamos buscando inversores para Verdana Pay":  "",
		"We are building Acme":                          "",
		"somos verdana pay, una fintech":                "",
	} {
		if got := startupName(text); got != want {
			t.Errorf("startupName(%q) = %q, want %q", text, got, want)
		}
		if got := ExtractFacts(text).Name; got != want {
			t.Errorf("ExtractFacts(%q).Name = %q, want %q", text, got, want)
		}
	}
}
