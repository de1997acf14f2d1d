package agents

import (
	"context"
	"strings"
)

// Outreach answers the wish to contact investors: how campaigns work on the Outreach plan (human
// approval before sending, safety caps), or, without it, what the plan unlocks plus a message
// template the founder can send themselves.
func (a *Agents) Outreach(ctx context.Context, r Request, s Stream) (Reply, error) {
	return a.answer(ctx, r, s, modelCall{agent: "outreach", temperature: 0.5}, outreachAnswer(r))
}

func outreachAnswer(r Request) string {
	lang := r.Language
	var b strings.Builder
	if r.Plan.OutreachEnabled {
		b.WriteString(pick(lang,
			"Here's how campaigns work:\n1. Connect your LinkedIn account.\n2. Pick the investors from a search.\n3. I draft a personalised message for each one.\n4. You review and approve every message; nothing is sent before that.\n5. We send within daily and weekly safety caps, spread over working hours, to protect your account, and replies come back to you.",
			"Así funcionan las campañas:\n1. Conecta tu cuenta de LinkedIn.\n2. Elige los inversores de una búsqueda.\n3. Redacto un mensaje personalizado para cada uno.\n4. Tú revisas y apruebas cada mensaje; no se envía nada antes.\n5. Enviamos dentro de límites diarios y semanales de seguridad, repartidos en horario laboral, para proteger tu cuenta, y las respuestas te llegan a ti."))
		b.WriteString("\n\n" + pick(lang,
			"Tip: one specific reason why this investor, one line of traction, and a clear ask (a 20-minute call).",
			"Consejo: una razón concreta de por qué ese inversor, una línea de tracción y una petición clara (una llamada de 20 minutos)."))
		return b.String()
	}
	b.WriteString(pick(lang,
		"Automated LinkedIn campaigns are part of the **Outreach** plan: personalised messages you approve before anything is sent, with safety caps that protect your account. Meanwhile, here's a message you can send yourself:",
		"Las campañas automáticas en LinkedIn son parte del plan **Outreach**: mensajes personalizados que apruebas antes de que se envíe nada, con límites de seguridad que protegen tu cuenta. Mientras tanto, aquí tienes un mensaje que puedes enviar tú:"))
	b.WriteString("\n\n" + messageTemplate(r.Project, lang))
	return b.String()
}

// messageTemplate is a short first message to an investor built from the project facts.
func messageTemplate(p *Project, lang string) string {
	name := pick(lang, "[startup]", "[startup]")
	what := describeStartup(p, lang)
	traction := pick(lang, "[one line of traction]", "[una línea de tracción]")
	if p != nil {
		if n := strings.TrimSpace(p.Name); n != "" {
			name = n
		}
		if m := metricsText(p.Facts.Metrics, lang); m != "" {
			traction = m
		}
	}
	return pick(lang,
		"> Hi [name], I'm [your name], founder of "+name+", "+what+". You invest in [their sector/portfolio company], which is why I'm writing. Traction: "+traction+". We're raising our next round; would you have 20 minutes for a call?",
		"> Hola [nombre], soy [tu nombre], fundador/a de "+name+", "+what+". Inviertes en [su sector/empresa de su cartera] y por eso te escribo. Tracción: "+traction+". Estamos levantando nuestra próxima ronda; ¿tendrías 20 minutos para una llamada?")
}
