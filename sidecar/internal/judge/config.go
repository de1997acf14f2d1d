package judge

import (
	"errors"
	"fmt"
)

// Config holds the guards' thresholds and word lists and the extractor's exchange rates. Every
// number is data: start from DefaultConfig and override what you need.
type Config struct {
	// MaxChars is the longest user message accepted, in characters (the messages table allows 4000).
	MaxChars int
	// FloodPerMinute: more messages than this from one user in the last minute is flooding.
	FloodPerMinute int
	// SpamThreshold: a spam score at or above it makes the message spam (the prototype used 70/100).
	SpamThreshold float64

	// RepeatedRunLength is the length from which a run of one repeated letter counts ("aaaaa").
	RepeatedRunLength int
	// RepeatedRunShare: messages whose letters sit in such runs (or in short repeating cycles such
	// as "jdjdjdjd") at this share or more are spam...
	RepeatedRunShare float64
	// ...provided they have at least this many letters ("hmmmmm" is left to the classifier).
	RepeatedMinLetters int
	// RepeatedWordsMin: a message of at least this many words made of very few distinct words
	// ("buy buy buy buy") is spam.
	RepeatedWordsMin int

	// MaxURLs: more links than this, with fewer than URLWordsPerLink other words per link, is link
	// spam; more than MaxURLsHard links is link spam whatever the text.
	MaxURLs         int
	URLWordsPerLink int
	MaxURLsHard     int

	// GibberishMinLetters and GibberishShare: a message with at least this many letters, of which
	// this share sits in keyboard-mash words (no vowels, long consonant runs, keyboard rows), is spam.
	GibberishMinLetters int
	GibberishShare      float64

	// Weighted patterns (see pattern.go for the syntax). Within a list the weights of the matching
	// terms add up (capped at 1); lists combine as independent evidence.
	Abuse     []Term // insults and profanity, English and Spanish
	AbuseAim  []Term // phrases that aim abuse at the assistant ("you are", "eres", "bot"); count only with abuse
	Injection []Term // prompt-injection and jailbreak markers
	Promo     []Term // commercial spam ("click here", "gana dinero")

	// USDPerEUR and USDPerGBP convert funding asks stated in euros or pounds to USD.
	USDPerEUR float64
	USDPerGBP float64
}

// Term is one weighted pattern of a guard list.
type Term struct {
	Pattern string
	Weight  float64 // 0..1
}

// DefaultConfig returns the default thresholds and lists.
func DefaultConfig() Config {
	return Config{
		MaxChars:            4000,
		FloodPerMinute:      12,
		SpamThreshold:       0.7,
		RepeatedRunLength:   5,
		RepeatedRunShare:    0.5,
		RepeatedMinLetters:  8,
		RepeatedWordsMin:    4,
		MaxURLs:             2,
		URLWordsPerLink:     4,
		MaxURLsHard:         8,
		GibberishMinLetters: 6,
		GibberishShare:      0.6,
		Abuse:               cloneTerms(defaultAbuse),
		AbuseAim:            cloneTerms(defaultAbuseAim),
		Injection:           cloneTerms(defaultInjection),
		Promo:               cloneTerms(defaultPromo),
		USDPerEUR:           1.08,
		USDPerGBP:           1.27,
	}
}

func cloneTerms(t []Term) []Term { return append([]Term(nil), t...) }

// validate reports configuration mistakes.
func (c Config) validate() error {
	var errs []error
	for _, v := range []struct {
		name string
		n    int
	}{
		{"MaxChars", c.MaxChars}, {"FloodPerMinute", c.FloodPerMinute}, {"RepeatedRunLength", c.RepeatedRunLength},
		{"RepeatedMinLetters", c.RepeatedMinLetters}, {"RepeatedWordsMin", c.RepeatedWordsMin},
		{"MaxURLs", c.MaxURLs}, {"URLWordsPerLink", c.URLWordsPerLink}, {"MaxURLsHard", c.MaxURLsHard},
		{"GibberishMinLetters", c.GibberishMinLetters},
	} {
		if v.n <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %d", v.name, v.n))
		}
	}
	for _, v := range []struct {
		name string
		f    float64
	}{
		{"SpamThreshold", c.SpamThreshold}, {"RepeatedRunShare", c.RepeatedRunShare}, {"GibberishShare", c.GibberishShare},
	} {
		if !(v.f > 0 && v.f <= 1) {
			errs = append(errs, fmt.Errorf("%s must be in (0,1], got %v", v.name, v.f))
		}
	}
	if !(c.USDPerEUR > 0) || !(c.USDPerGBP > 0) {
		errs = append(errs, fmt.Errorf("exchange rates must be positive, got USDPerEUR=%v USDPerGBP=%v", c.USDPerEUR, c.USDPerGBP))
	}
	for _, list := range []struct {
		name  string
		terms []Term
	}{{"Abuse", c.Abuse}, {"AbuseAim", c.AbuseAim}, {"Injection", c.Injection}, {"Promo", c.Promo}} {
		for _, t := range list.terms {
			if !(t.Weight > 0 && t.Weight <= 1) {
				errs = append(errs, fmt.Errorf("%s term %q: weight %v outside (0,1]", list.name, t.Pattern, t.Weight))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("judge: invalid config: %w", errors.Join(errs...))
	}
	return nil
}

// Default word lists. Matching is on whole folded words (accents and case ignored), so "puta" does
// not match "disputa" or "computación", and "bullshit" (our own name) is not on the list.
var defaultAbuse = []Term{
	// English: insults that settle a message on their own.
	{"fuck_you|fuck_off|go_fuck_yourself|f*ck_you|fck_you|stfu|shut_the_fuck_up|motherfucker*|son_of_a_bitch", 0.9},
	{"asshole*|cunt|dickhead|piece_of_shit|retard|retarded|kill_yourself|kys|faggot|nigger", 0.9},
	{"stupid_bot|useless_bot|dumb_bot|fucking_idiot|you_suck|idiot_bot|shitty_bot", 0.8},
	// English: profanity and insults that need more evidence.
	{"fuck|fucking|fucked|fucker|f*ck|fck|wtf", 0.4},
	{"shit|shitty|crap|bitch", 0.4},
	{"idiot|stupid|dumb|moron|useless|pathetic|garbage|trash|loser", 0.35},
	{"shut_up|shut_your_mouth", 0.45},
	{"damn|hell", 0.15},
	// Spanish.
	{"hijo_de_puta|hija_de_puta|hijoputa|vete_a_la_mierda|que_te_jodan|que_te_den|gilipollas|subnormal|maricon|malparido|chinga_tu_madre|me_cago_en_tu", 0.9},
	{"cabron|cabrona|capullo|pendejo|pendeja|culero|zorra|imbecil|retrasado|mamon|payaso_de_mierda|tonto_del_culo", 0.75},
	{"puta|puto|putas|putos|mierda|mierdas|joder|jodido|jodida|cono|hostia|hostias|pinche|coño", 0.45},
	{"idiota|estupido|estupida|inutil|inutiles|tonto|tonta|basura|patetico|patetica|porqueria", 0.35},
	{"callate|cierra_la_boca", 0.45},
}

var defaultAbuseAim = []Term{
	{"you_are|you_re|youre|u_r|you_re_so|you_are_so", 0.3},
	{"eres|sos|te_odio|no_sirves|no_vales|no_sabes|no_entiendes|callate", 0.35},
	{"bot|maquina|machine|chatbot|robot|asistente|cacharro", 0.3},
}

var defaultInjection = []Term{
	// Overriding the instructions.
	{"ignore|disregard|forget|override|bypass|skip all|any|the|your|previous|prior|above|earlier|these|those|system .. instructions|instruction|rules|prompt|prompts|guidelines|directives|programming|restrictions|constraints", 0.95},
	{"ignora|ignorar|olvida|olvidate|omite|omitir|salta|saltate|anula todas|las|tus|sus|anteriores|previas|de .. instrucciones|reglas|normas|restricciones|directrices|prompt|programacion", 0.95},
	{"new_instructions|nuevas_instrucciones|updated_instructions|instrucciones_nuevas", 0.6},
	// Extracting the prompt.
	{"reveal|show|print|repeat|display|output|leak|dump|what_is|what_s|whats|muestra|muestrame|mostrar|ensename|dime|revela|imprime|repite|cual_es .. your|the|tu|el|su|vuestro|este|this .. system_prompt|initial_prompt|hidden_prompt|system_message|prompt_de_sistema|prompt_del_sistema|mensaje_de_sistema|mensaje_del_sistema|instrucciones_de_sistema|instrucciones_del_sistema|instrucciones_internas|prompt_inicial", 0.95},
	{"reveal|show|print|repeat|display|output|leak|dump|muestra|muestrame|ensename|revela|imprime|repite|dime|tell_me|give_me|dame|pasame your|tu|tus .. prompt|instructions|instrucciones|configuration|configuracion", 0.8},
	// "Forget everything above": a classic opener, not proof on its own ("olvida lo anterior, somos B2B").
	{"ignore|ignora|olvida|olvidate|forget|disregard everything|todo|all .. lo_anterior|anterior|above|before|previous|lo_de_antes|lo_que_te_dije|what_i_said|you_were_told|te_han_dicho", 0.5},
	// Jailbreak role-play.
	{"jailbreak*|do_anything_now|developer_mode|dev_mode|god_mode|modo_desarrollador|modo_dios|modo_sin_restricciones|evil_mode|modo_malvado", 0.8},
	{"you_are_now|you_re_now|from_now_on_you|from_now_on_your|a_partir_de_ahora_eres|a_partir_de_ahora_seras|a_partir_de_ahora_vas|a_partir_de_ahora_responde|a_partir_de_ahora_actua|desde_ahora_eres|ahora_eres_un|ahora_eres_una", 0.4},
	{"without_restrictions|without_any_restrictions|no_restrictions|unrestricted|without_filters|no_filters|unfiltered|without_limits|no_limits|uncensored|without_rules|no_rules|sin_restricciones|sin_filtros|sin_limites|sin_censura|sin_reglas|sin_normas", 0.45},
	{"pretend_you_are|pretend_you_re|pretend_to_be|act_as|roleplay|role_play|finge_que_eres|finge_ser|haz_de_cuenta|imagina_que_eres|juega_a_ser|actua_como|comportate_como", 0.3},
	{"password|passwords|contrasena|contrasenas|api_key|apikey|secret_key|credentials|credenciales|root_access|admin_access|acceso_de_administrador", 0.35},
	{"admin|administrator|administrador|administradora|superuser|superusuario", 0.25},
	{"unlimited_credits|free_credits|creditos_gratis|creditos_ilimitados|grant_me|grant_this_user|otorga|otorgame", 0.3},
}

var defaultPromo = []Term{
	{"click_here|click_aqui|haz_clic|haz_click|pincha_aqui|clic_aqui|click_the_link|entra_en_el_enlace", 0.5},
	{"make_money|earn_money|gana_dinero|ganar_dinero|dinero_facil|dinero_rapido|easy_money|fast_cash|get_rich|hazte_rico", 0.45},
	{"work_from_home|from_home|trabaja_desde_casa|desde_casa|en_casa", 0.3},
	{"buy_followers|cheap_followers|compra_seguidores|seguidores_baratos|likes_baratos|comprar_seguidores|buy_likes", 0.6},
	{"viagra|cialis|casino|casinos|apuestas|betting|porn*|xxx|onlyfans|airdrop|free_bitcoin|bitcoin_gratis|forex_signals|senales_de_trading|crypto_giveaway", 0.5},
	{"limited_offer|oferta_limitada|oferta_especial|special_offer|act_now|100_free|100_gratis|guaranteed|garantizado|garantizados", 0.3},
	{"earn|gana|ganar|ganas", 0.2},
	{"whatsapp|telegram|escribeme_por|write_me_on|message_me_on|contact_me_on|dm_me|contactame_por|agregame", 0.3},
}
