package agents

import (
	"context"
	"strings"
)

// Smalltalk answers greetings, thanks, goodbyes and questions about the assistant briefly, and
// steers to the next useful step.
func (a *Agents) Smalltalk(ctx context.Context, r Request, s Stream) (Reply, error) {
	return a.answer(ctx, r, s, modelCall{agent: "smalltalk", temperature: 0.6}, smalltalkAnswer(r))
}

var (
	thanksWords = []string{"thanks", "thank you", "thx", "cheers", "gracias", "mil gracias", "genial", "perfecto", "great", "awesome"}
	byeWords    = []string{"bye", "goodbye", "see you", "good night", "adios", "hasta luego", "hasta pronto", "nos vemos", "buenas noches", "chao", "chau"}
	whoWords    = []string{"who are you", "what are you", "what can you do", "what do you do", "are you a bot", "are you human",
		"quien eres", "que eres", "que puedes hacer", "que haces", "eres un bot", "eres humano", "como funciona", "how does it work", "help", "ayuda"}
)

func smalltalkAnswer(r Request) string {
	lang := r.Language
	folded := foldWords(r.Text)
	var opener string
	switch {
	case keywordHits(folded, whoWords) > 0:
		opener = pick(lang,
			"I'm the 0Bullshit assistant: I find investors that fit your startup in our database, answer fundraising questions, mentor you on your round and, on the Outreach plan, run LinkedIn campaigns you approve.",
			"Soy el asistente de 0Bullshit: encuentro en nuestra base de datos inversores que encajan con tu startup, respondo dudas de financiación, te asesoro en la ronda y, con el plan Outreach, lanzo campañas en LinkedIn que tú apruebas.")
	case keywordHits(folded, byeWords) > 0:
		return pick(lang, "See you soon! Your project and searches are saved here whenever you come back.",
			"¡Hasta pronto! Tu proyecto y tus búsquedas quedan guardados para cuando vuelvas.")
	case keywordHits(folded, thanksWords) > 0:
		opener = pick(lang, "You're welcome!", "¡De nada!")
	default:
		opener = pick(lang, "Hi! 👋", "¡Hola! 👋")
	}
	return opener + "\n\n" + smalltalkNext(r)
}

// smalltalkNext is a one-line version of nextStep.
func smalltalkNext(r Request) string {
	lang := r.Language
	p := r.Project
	switch {
	case p == nil:
		return pick(lang, "Tell me about your startup (name, what it does, sector and stage) and I'll find the investors that fit.",
			"Cuéntame tu startup (nombre, qué hace, sector y fase) y encontraré los inversores que encajan.")
	case p.Completeness < 50:
		if m := missingKeys(p); len(m) > 0 {
			return pick(lang, "Next step for ", "Siguiente paso para ") + projectName(p, lang) + ": " + factQuestions[m[0]].in(lang)
		}
	}
	return strings.TrimSpace(pick(lang, "When you're ready, try: \"", "Cuando quieras, prueba: \"") + searchExample(p, lang) + "\"" +
		pick(lang, ", or ask me anything about your round.", ", o pregúntame lo que quieras sobre tu ronda."))
}
