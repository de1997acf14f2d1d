package judge

import "testing"

func TestDetectLanguage(t *testing.T) {
	es := []Turn{{Role: RoleAssistant, Text: "¿En qué fase estáis y cuál es vuestro sector?"}}
	en := []Turn{{Role: RoleAssistant, Text: "What stage are you at, and which sector?"}}
	for _, c := range []struct {
		text    string
		history []Turn
		want    string
	}{
		{"¿Qué es un SAFE?", nil, "es"},
		{"What is a SAFE?", nil, "en"},
		{"necesito finaciacion, buscame inversores", nil, "es"},
		{"looking for investers for my edtech app", nil, "en"},
		{"Necesito un lawyer para el SHA", nil, "es"},
		{"hola, I need investors for my healthtech startup", nil, "en"},
		{"jajaja", nil, "es"},
		{"hahaha", nil, "en"},
		{"ñlkjñlkj", nil, "es"},
		{"seed, edtech", es, "es"},
		{"seed, edtech", en, "en"},
		{"seed, edtech", nil, "en"},
		{"ok", es, "es"},
		{"👍", nil, "en"},
		{"", nil, "en"},
		{"asdfghjkl", nil, "en"},
		// The user's own earlier turns outweigh the assistant's.
		{"ok", []Turn{{Role: RoleUser, Text: "Somos una fintech de Madrid"}, {Role: RoleAssistant, Text: "Great, noted."}}, "es"},
		{"Lanza la campaña", nil, "es"},
		{"Upgrade me to Pro", nil, "en"},
		{"We're based in Berlin", nil, "en"},
	} {
		if got := DetectLanguage(c.text, c.history); got != c.want {
			es, en := languageScores(c.text)
			t.Errorf("DetectLanguage(%q) = %s, want %s (es %.1f, en %.1f)", c.text, got, c.want, es, en)
		}
	}
}
