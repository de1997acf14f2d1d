package agents

import (
	"context"
	"fmt"
	"strings"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
)

// Plans explains the plans and the user's credits with the real numbers passed in.
func (a *Agents) Plans(ctx context.Context, r Request, plans []Plan, s Stream) (Reply, error) {
	reference := plansAnswer(r, plans)
	return a.answer(ctx, r, s, modelCall{agent: "plans", temperature: 0.3}, reference)
}

// actionNames name the credit actions of public.credit_costs.
var actionNames = map[string]msg{
	"chat_turn":        {"chat message", "mensaje de chat"},
	"investor_search":  {"investor search", "búsqueda de inversores"},
	"employee_search":  {"search for people at a fund", "búsqueda de personas de un fondo"},
	"company_search":   {"search for service companies", "búsqueda de empresas de servicios"},
	"outreach_message": {"AI outreach message", "mensaje de outreach con IA"},
}

func actionName(action, lang string) string {
	if m, ok := actionNames[action]; ok {
		return m.in(lang)
	}
	return strings.ReplaceAll(action, "_", " ")
}

func plansAnswer(r Request, plans []Plan) string {
	lang := r.Language
	if len(plans) == 0 && r.Plan.ID != "" {
		plans = []Plan{r.Plan}
	}
	var b strings.Builder
	b.WriteString(pick(lang, "Our plans:\n", "Nuestros planes:\n"))
	for _, p := range plans {
		b.WriteString("- " + planLine(p, lang))
		if p.ID == r.Plan.ID {
			b.WriteString(pick(lang, " ← your plan", " ← tu plan"))
		}
		b.WriteByte('\n')
	}
	b.WriteString("\n" + creditsLine(r, lang))
	if costs := costsLine(r.Costs, lang); costs != "" {
		b.WriteString("\n\n" + costs)
	}
	b.WriteString("\n\n" + pick(lang, "You can change plan or buy a credit pack (it never expires) from Billing.",
		"Puedes cambiar de plan o comprar un paquete de créditos (no caduca) desde Facturación."))
	return b.String()
}

// planLine is "**Pro** ($19/month): 150 daily credits, 5 projects, up to 15 results per search".
func planLine(p Plan, lang string) string {
	var b strings.Builder
	b.WriteString("**" + planName(p) + "**")
	if price := planPrice(p, lang); price != "" {
		b.WriteString(" (" + price + ")")
	}
	var parts []string
	if p.DailyCredits > 0 {
		parts = append(parts, fmt.Sprintf(pick(lang, "%s daily credits", "%s créditos diarios"), formatNumber(float64(p.DailyCredits), lang)))
	}
	switch {
	case p.MaxProjects == 0:
		parts = append(parts, pick(lang, "unlimited projects", "proyectos ilimitados"))
	case p.MaxProjects == 1:
		parts = append(parts, pick(lang, "1 project", "1 proyecto"))
	default:
		parts = append(parts, fmt.Sprintf(pick(lang, "%d projects", "%d proyectos"), p.MaxProjects))
	}
	if p.SearchResultLimit > 0 {
		parts = append(parts, fmt.Sprintf(pick(lang, "up to %d results per search", "hasta %d resultados por búsqueda"), p.SearchResultLimit))
	}
	if p.OutreachEnabled {
		parts = append(parts, pick(lang, "LinkedIn outreach campaigns", "campañas de outreach en LinkedIn"))
	}
	b.WriteString(": " + strings.Join(parts, ", "))
	return b.String()
}

// planPrice is "$19/month" / "19 $/mes", "free" / "gratis", or "" when unknown.
func planPrice(p Plan, lang string) string {
	if p.PriceCents == 0 {
		if p.ID == "free" {
			return pick(lang, "free", "gratis")
		}
		return ""
	}
	amount := formatNumber(float64(p.PriceCents)/100, lang)
	if p.PriceCents%100 != 0 {
		amount = fmt.Sprintf("%d%s%02d", p.PriceCents/100, pick(lang, ".", ","), p.PriceCents%100)
	}
	interval := map[string]msg{"month": {"month", "mes"}, "year": {"year", "año"}}[p.Interval].in(lang)
	if offlineLang(lang) == langES {
		if interval != "" {
			return amount + " $/" + interval
		}
		return amount + " $"
	}
	if interval != "" {
		return "$" + amount + "/" + interval
	}
	return "$" + amount
}

// creditsLine states the user's credits.
func creditsLine(r Request, lang string) string {
	c := r.Credits
	return fmt.Sprintf(pick(lang,
		"You have **%s credits** available: %s left of today's allowance (it refills at 00:00 UTC) + %s balance (it never expires).",
		"Tienes **%s créditos** disponibles: %s del cupo de hoy (se recarga a las 00:00 UTC) + %s de saldo (no caduca)."),
		formatNumber(float64(c.Available), lang), formatNumber(float64(c.DailyRemaining), lang), formatNumber(float64(c.Balance), lang))
}

// costsLine lists the credit costs in a stable order, or "".
func costsLine(costs map[string]int, lang string) string {
	if len(costs) == 0 {
		return ""
	}
	var parts []string
	seen := map[string]bool{}
	for _, k := range []string{"chat_turn", "investor_search", "employee_search", "company_search", "outreach_message"} {
		if v, ok := costs[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", actionName(k, lang), v))
			seen[k] = true
		}
	}
	for k, v := range costs {
		if !seen[k] {
			parts = append(parts, fmt.Sprintf("%s %d", actionName(k, lang), v))
		}
	}
	return pick(lang, "Costs in credits: ", "Coste en créditos: ") + strings.Join(parts, ", ") + "."
}

// InsufficientCredits is the (uncharged) reply when the user's credits do not cover an action.
func (a *Agents) InsufficientCredits(r Request, action string, needed int) Reply {
	lang := r.Language
	c := r.Credits
	var b strings.Builder
	fmt.Fprintf(&b, pick(lang,
		"%s needs **%d credits** and you have **%s** right now (%s left today + %s balance), so I haven't run it and nothing was charged.",
		"%s necesita **%d créditos** y ahora tienes **%s** (%s de hoy + %s de saldo), así que no se ha hecho y no se ha cobrado nada."),
		capitalize(withArticle(action, lang)), needed, formatNumber(float64(c.Available), lang), formatNumber(float64(c.DailyRemaining), lang),
		formatNumber(float64(c.Balance), lang))
	b.WriteString("\n\n")
	if r.Plan.DailyCredits > 0 {
		fmt.Fprintf(&b, pick(lang, "Your %s plan refills %s credits every day at 00:00 UTC. ", "Tu plan %s recarga %s créditos cada día a las 00:00 UTC. "),
			planName(r.Plan), formatNumber(float64(r.Plan.DailyCredits), lang))
	}
	b.WriteString(pick(lang, "You can wait for the refill, buy a credit pack or upgrade your plan from Billing.",
		"Puedes esperar a la recarga, comprar un paquete de créditos o mejorar tu plan desde Facturación."))
	return Reply{Text: finish(lang, b.String(), MaxReplyChars), Mode: judge.ModeOffline}
}

// withArticle is the action name with an indefinite article ("an investor search", "un mensaje de
// chat").
func withArticle(action, lang string) string {
	name := actionName(action, lang)
	if name == "" {
		return pick(lang, "this action", "esta acción")
	}
	if offlineLang(lang) == langES {
		if strings.HasPrefix(name, "mensaje") {
			return "un " + name
		}
		return "una " + name
	}
	if strings.ContainsRune("aeiouAEIOU", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

// UpsellLine is one sentence offering a plan (toPlan "pro", "outreach") or, with toPlan "", a credit
// pack, worded for the trigger ("search_intent", "search_limit_reached", "credits_exhausted",
// "outreach_interest").
func (a *Agents) UpsellLine(lang, fromPlan, toPlan, trigger string) string {
	switch toPlan {
	case "pro":
		switch trigger {
		case "search_limit_reached":
			return pick(lang, "💡 Your plan shows only the top matches; **Pro** shows more results per search and gives you more daily credits.",
				"💡 Tu plan muestra solo los mejores resultados; **Pro** muestra más por búsqueda y te da más créditos diarios.")
		case "credits_exhausted":
			return pick(lang, "💡 Out of credits? **Pro** refills a bigger allowance every day, so you can keep searching.",
				"💡 ¿Sin créditos? **Pro** recarga un cupo mayor cada día para que sigas buscando.")
		}
		return pick(lang, "💡 With **Pro** you get more daily credits, more results per search and room for more projects.",
			"💡 Con **Pro** tienes más créditos diarios, más resultados por búsqueda y espacio para más proyectos.")
	case "outreach":
		return pick(lang, "🚀 With **Outreach** I can contact these investors for you on LinkedIn: personalised messages you approve, sent within safe daily limits.",
			"🚀 Con **Outreach** puedo contactar a estos inversores por ti en LinkedIn: mensajes personalizados que tú apruebas, enviados dentro de límites diarios seguros.")
	case "":
		return pick(lang, "💳 Need more now? A credit pack tops up your balance at once, and it never expires.",
			"💳 ¿Necesitas más ya? Un paquete de créditos recarga tu saldo al momento y no caduca.")
	}
	return fmt.Sprintf(pick(lang, "💡 The **%s** plan gives you more credits and features.", "💡 El plan **%s** te da más créditos y funciones."),
		capitalize(toPlan))
}
