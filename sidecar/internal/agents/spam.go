package agents

import (
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// Spam is the reply to a message the judge flagged as spam: deterministic, short, polite, and
// pointing back to what the assistant is for. No model is called.
func (a *Agents) Spam(r Request) Reply {
	lang := r.Language
	var text string
	switch reason := spamReason(r.Decision); reason {
	case "flood", "throttled":
		text = pick(lang, "You're sending messages very fast. Give it a moment, then send me one message with what you need.",
			"Estás enviando mensajes muy rápido. Espera un momento y mándame un solo mensaje con lo que necesitas.")
	case "too_long":
		text = pick(lang, "That message is too long for me. Send me the key question in a few lines.",
			"Ese mensaje es demasiado largo para mí. Mándame la pregunta clave en unas pocas líneas.")
	case "injection":
		text = pick(lang, "I can't change how I work, but I'm happy to help with your startup: investors, your pitch or your round.",
			"No puedo cambiar cómo funciono, pero encantado de ayudarte con tu startup: inversores, tu pitch o tu ronda.")
	case "abuse":
		text = pick(lang, "Let's keep it respectful. I'm here to help you raise: tell me about your startup or ask me about investors.",
			"Mantengamos el respeto. Estoy aquí para ayudarte a levantar: cuéntame tu startup o pregúntame por inversores.")
	default:
		text = pick(lang, "I couldn't make sense of that. I'm here to help you get funded: tell me about your startup or ask me about investors, your pitch or your round.",
			"No he entendido ese mensaje. Estoy aquí para ayudarte a conseguir financiación: cuéntame tu startup o pregúntame por inversores, tu pitch o tu ronda.")
	}
	return Reply{Text: text, Mode: judge.ModeOffline}
}

// spamReason reads the judge's first guard reason ("guard:flood(…)", "guard:injection=0.90",
// "moderation:throttled") as a bare name.
func spamReason(d judge.Decision) string {
	for _, r := range d.Reasons {
		_, name, ok := strings.Cut(r, ":")
		if !ok {
			continue
		}
		if i := strings.IndexAny(name, "(="); i >= 0 {
			name = name[:i]
		}
		switch name {
		case "flood", "throttled", "too_long", "injection", "abuse":
			return name
		}
	}
	return ""
}

// Failed is the visible reply when a turn fails for good.
func (a *Agents) Failed(lang string) string {
	return pick(lang, "Sorry, I couldn't answer that — no credits were charged. Please try again.",
		"Lo siento, no he podido responder — no se han cobrado créditos. Por favor, inténtalo de nuevo.")
}
