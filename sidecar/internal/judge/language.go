package judge

import (
	"strings"
)

// Language detection: a message is scored for Spanish and English from function words, frequent
// founder vocabulary, characters (ñ, ¿, ¡, accented vowels), contractions and word endings. When the
// message itself is undecided ("ok", "seed, edtech", "👍") the conversation decides; the fallback
// is English, as in the prototype's response rule.

// Languages the offline detector distinguishes.
const (
	LangEnglish = "en"
	LangSpanish = "es"
)

// Words shared by both languages ("a", "no", "me", "plan", "idea", "solo") are deliberately absent.
var spanishWords = toSet(`de la que el en y los se del las un por con una su para es al lo como mas pero sus le ya este
si porque esta entre cuando muy sin sobre tambien hasta hay donde quien desde todo nos durante todos uno les ni
contra otros ese eso ante ellos esto mi antes algunos unos yo otro otras otra tanto esa estos mucho quienes nada
muchos cual poco ella estar estas algunas algo nosotros mis tu te ti tus vosotros os somos tenemos estamos hemos
quiero queremos necesito necesitamos busco buscamos busca buscame hola gracias vale buenas buenos dias tardes noches
adios claro tengo tiene tienen puedo puedes hacer hago cuanto cuantos cuantas cuesta cuales donde favor usted
ustedes vuestro vuestra nuestra nuestro nuestros nuestras estoy soy eres esta estan han ha aqui ahora luego
pues bueno dale venga genial perfecto oye vamos inversores inversor fondos fondo empresa empresas ronda levantar
financiacion negocio precio creditos cuenta ayuda ayudame dame conseguir mejor menos ano mes dinero equipo
cofundadores socios usuarios clientes ventas hazlo escribe redacta cambia quiero sobre mucho gilipollas mierda
eres inutil que tal hasta pronto mañana manana tambien entonces vez veces cosa cosas seria deberia puede pueden
necesita quieres haz hace hacen dice decir compra comprar barato baratos barata baratas gratis rapido dinero casa
siempre nunca alli bien mal nuevo nueva nuevos nuevas grande pequeno gente tiempo dia dias semana semanas mundo vida
trabajo forma caso lugar tener poder ir ver dar saber querer llegar pasar deber poner parecer quedar creer hablar
llevar dejar seguir encontrar llamar venir pensar salir volver tomar conocer vivir sentir tratar mirar contar empezar
esperar buscar entrar trabajar escribir perder pedir recibir terminar aparecer conseguir comenzar servir sacar
necesitar mantener leer cambiar crear abrir acabar ganar traer aceptar lograr explicar voy va van vas hemos habeis
teneis sois estais podemos debemos tambien todavia aun ya mucha muchas poca pocos otro cada mismo misma hacia segun
durante mientras aunque sino asi alguien nadie cualquier socio socia hablamos hablar ahorita chido plata`)

var englishWords = toSet(`the and to of in is it you that for on with as are be this was have or at not what we our my i do
how can your who which need want looking find thanks thank hi hello hey please yes yeah sure would could should
will just about from they them there their these those get give show an by if so up out more some any all many much
does did has had been being am were here where when why than then also into over only very now still like know help
let us great cool nice okay bye good morning afternoon evening investors investor funds fund raise raising round
company team users customers month year credits subscription write message draft search lawyer agency people
partners partner fuck shit stupid useless whats what's i'm we're don't can't it's there's let's go ahead tell
cancel much charged free trial invoice buy cheap money fast home work time day week world life thing make take come
see know think look use tell ask seem feel try leave call new first last long little own other old right big high
different small large next early young important few public bad same able got going doing because after before
between through without under around among again never always something nothing everything anything someone anyone
everyone already really actually maybe probably whose while might must shall may yours hers its been were being
wanna gonna gotta hey`)

func toSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[fold(w)] = true
	}
	return m
}

// DetectLanguage returns the ISO 639-1 code of the language to answer text in ("es" or "en").
// Undecided messages take the language of the most recent decided turn in history (user turns
// first), then English.
func DetectLanguage(text string, history []Turn) string {
	if lang, ok := detect(text); ok {
		return lang
	}
	for _, role := range []string{RoleUser, RoleAssistant} {
		for i := len(history) - 1; i >= 0; i-- {
			if history[i].Role != role {
				continue
			}
			if lang, ok := detect(history[i].Text); ok {
				return lang
			}
		}
	}
	return LangEnglish
}

// detect scores text; ok is false when the evidence is too thin or balanced.
func detect(text string) (string, bool) { return detectTokens(text, tokenize(text)) }

// detectLanguageTokens is DetectLanguage for an already tokenized message.
func detectLanguageTokens(text string, toks []token, history []Turn) string {
	if lang, ok := detectTokens(text, toks); ok {
		return lang
	}
	return DetectLanguage("", history)
}

func detectTokens(text string, toks []token) (string, bool) {
	es, en := languageScoresTokens(text, toks)
	switch {
	case es-en >= 1:
		return LangSpanish, true
	case en-es >= 1:
		return LangEnglish, true
	}
	return "", false
}

func languageScores(text string) (es, en float64) { return languageScoresTokens(text, tokenize(text)) }

func languageScoresTokens(text string, toks []token) (es, en float64) {
	accents := 0
	for _, r := range text {
		switch r {
		case 'ñ', 'Ñ', '¿', '¡':
			es += 2
		case 'á', 'é', 'í', 'ó', 'ú', 'Á', 'É', 'Í', 'Ó', 'Ú':
			accents++
		}
	}
	es += 1.5 * float64(min(accents, 3))
	// English contractions: "we're", "don't", "I'm" (the apostrophe splits them into two words).
	for i := 1; i < len(toks); i++ {
		switch toks[i].norm {
		case "s", "re", "t", "m", "ll", "ve", "d":
			if gap := text[toks[i-1].end:toks[i].start]; gap == "'" || gap == "’" {
				en += 1.5
			}
		}
	}
	for _, t := range toks {
		w := t.norm
		if spanishWords[w] {
			es++
		}
		if englishWords[w] {
			en++
		}
		switch {
		case strings.HasPrefix(w, "jaj") || strings.HasPrefix(w, "jej") || strings.HasPrefix(w, "holaa"):
			es += 1.5
		case strings.HasPrefix(w, "hah") || w == "lol" || w == "lmao":
			en += 1.5
		}
		if len(w) >= 5 {
			switch {
			case strings.HasSuffix(w, "cion") || strings.HasSuffix(w, "ciones") || strings.HasSuffix(w, "mente") ||
				strings.HasSuffix(w, "amos") || strings.HasSuffix(w, "emos") || strings.HasSuffix(w, "imos") ||
				strings.HasSuffix(w, "idad") || strings.HasSuffix(w, "ado") || strings.HasSuffix(w, "ados") ||
				strings.HasSuffix(w, "ada") || strings.HasSuffix(w, "adas"):
				es += 0.5
			case strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "tion") || strings.HasSuffix(w, "tions") ||
				strings.HasSuffix(w, "ly") || strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ness"):
				en += 0.5
			}
		}
	}
	return es, en
}
