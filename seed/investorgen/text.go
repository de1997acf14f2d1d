package investorgen

import (
	"strconv"
	"strings"
)

// ascii folds the accented Latin letters used in the name tables to ASCII ("Núñez" -> "Nunez").
var ascii = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "ą", "a", "æ", "ae",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "ę", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i",
	"ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ø", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ñ", "n", "ń", "n", "ç", "c", "ć", "c", "ß", "ss", "ł", "l", "ś", "s", "ź", "z", "ż", "z", "ÿ", "y",
	"Á", "A", "À", "A", "Ä", "A", "Å", "A", "É", "E", "È", "E", "Í", "I", "Ó", "O", "Ö", "O", "Ø", "O",
	"Ú", "U", "Ü", "U", "Ñ", "N", "Ç", "C", "Ł", "L", "Ś", "S", "Ż", "Z", "Î", "I", "Ô", "O",
)

// slugify lower-cases, folds accents and joins runs of letters/digits with sep.
func slugify(s, sep string) string {
	s = strings.ToLower(ascii.Replace(s))
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			if pending && b.Len() > 0 {
				b.WriteString(sep)
			}
			pending = false
			b.WriteByte(c)
			continue
		}
		if c == '\'' {
			continue // O'Brien -> obrien
		}
		pending = true
	}
	return b.String()
}

const hexDigits = "0123456789abcdef"

// hex8 renders v as 8 lower-case hex digits.
func hex8(v uint32) string {
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = hexDigits[v&0xf]
		v >>= 4
	}
	return string(b[:])
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func token(x *rnd, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[x.intn(len(alnum))]
	}
	return string(b)
}

func digits(x *rnd, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + x.intn(10))
	}
	return string(b)
}

// usd renders an amount the way investors write it: $25k, $1.5M.
func usd(v int64) string {
	switch {
	case v >= 1_000_000:
		m := float64(v) / 1_000_000
		return "$" + strconv.FormatFloat(m, 'f', -1, 64) + "M"
	case v >= 1_000:
		return "$" + strconv.FormatInt(v/1000, 10) + "k"
	default:
		return "$" + strconv.FormatInt(v, 10)
	}
}

// joinAnd renders a list as "a, b and c" (or "a, b y c").
func joinAnd(items []string, and string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}

// sectorByID indexes sectors by id.
var sectorByID = func() map[string]*sector {
	m := make(map[string]*sector, len(sectors))
	for i := range sectors {
		m[sectors[i].ID] = &sectors[i]
	}
	return m
}()

func sectorLabels(ids []string, spanish bool) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if s := sectorByID[id]; s != nil {
			if spanish {
				out = append(out, s.LabelES)
			} else {
				out = append(out, s.LabelEN)
			}
		}
	}
	return out
}

func stageRange(st []int, spanish bool) string {
	labels := stageLabelEN
	if spanish {
		labels = stageLabelES
	}
	if len(st) == 0 {
		return ""
	}
	first, last := labels[st[0]], labels[st[len(st)-1]]
	if first == last {
		return first
	}
	if spanish {
		return first + " a " + last
	}
	return first + " to " + last
}

var (
	bigEmployers = []string{
		"Google", "Amazon", "McKinsey", "BCG", "Goldman Sachs", "Telefónica", "BBVA", "Santander", "Inditex",
		"Glovo", "Cabify", "Meta", "Microsoft", "Stripe", "Revolut", "Accenture", "Deloitte", "Uber", "Booking.com",
		"Mercado Libre", "Rappi", "Nubank", "Spotify", "Zalando", "Airbnb",
	}
	brandHeads = []string{
		"Nubi", "Kora", "Vela", "Trivi", "Fluxo", "Zeta", "Lumi", "Nexa", "Kubo", "Ondo", "Brio", "Alto", "Tinta",
		"Pixel", "Kreo", "Mondo", "Vivo", "Astro", "Gesti", "Alia", "Sumo", "Orbi", "Terra", "Quanta", "Clave", "Moka",
		"Rumbo", "Tessa", "Vinci", "Zoco", "Pulsa", "Hola", "Cubo", "Flora", "Mapa", "Ruta", "Senda", "Tando", "Yuma",
		"Koa", "Lira", "Noma", "Olea", "Pera", "Quiro", "Rima", "Sila", "Tuli", "Uma", "Verti", "Wala", "Xena", "Zafi",
	}
	brandTails      = []string{"fy", "ly", "io", "labs", "hub", "ra", "tia", "mos", "nova", "mind", "wise", "soft", "works", "go", "pay", "care", "box", "", "", ""}
	founderRoles    = []string{"Founder", "Co-founder", "CEO", "CTO", "COO", "Co-founder & CEO", "Founder & CEO", "Managing Director", "VP Engineering", "Head of Growth", "General Manager", "CFO"}
	accelerators    = []string{"Lanzadera", "Wayra", "Seedrocket", "Y Combinator", "Techstars", "Startupbootcamp", "Conector", "BStartup", "Plug and Play", "500 Global", "Demium", "Antler", "Entrepreneur First", "Minerva"}
	personalDomains = newWeightedStrings([]weightedString{
		{"gmail.com", 60}, {"hotmail.com", 10}, {"outlook.com", 10}, {"yahoo.com", 5}, {"icloud.com", 5},
		{"protonmail.com", 3}, {"me.com", 2},
	})
)

// brand invents a startup-like brand name ("Kubolabs", "Nexa").
func brand(x *rnd) string {
	h := x.pick(brandHeads)
	t := x.pick(brandTails)
	if t == "" {
		return h
	}
	return h + t
}

// personalEmail builds a believable private address for a person.
func personalEmail(x *rnd, first, last string) string {
	f, l := slugify(first, ""), slugify(strings.Fields(last)[0], "")
	var local string
	switch x.intn(5) {
	case 0:
		local = f + "." + l
	case 1:
		local = f + l
	case 2:
		local = f[:1] + l
	case 3:
		local = f + "." + l + digits(x, 2)
	default:
		local = f + "_" + l
	}
	return local + "@" + personalDomains.pick(x).S
}

// workEmail builds an address at a company domain.
func workEmail(x *rnd, first, last, domain string) string {
	f, l := slugify(first, ""), slugify(strings.Fields(last)[0], "")
	switch x.intn(3) {
	case 0:
		return f + "@" + domain
	case 1:
		return f[:1] + l + "@" + domain
	default:
		return f + "." + l + "@" + domain
	}
}

// profilePic imitates a LinkedIn CDN avatar URL.
func profilePic(x *rnd) string {
	return "https://media.licdn.com/dms/image/v2/D4D03AQ" + token(x, 14) +
		"/profile-displayphoto-shrink_400_400/0/17" + digits(x, 11)
}

// phone formats a number the way it is written in the country.
func phone(x *rnd, c *country) string {
	switch c.Code {
	case "ES":
		if x.chance(0.5) {
			return "+34 6" + digits(x, 2) + " " + digits(x, 3) + " " + digits(x, 3)
		}
		return "+34 9" + digits(x, 1) + " " + digits(x, 3) + " " + digits(x, 2) + " " + digits(x, 2)
	case "US", "CA":
		return "+1 (" + strconv.Itoa(200+x.intn(800)) + ") 555-01" + digits(x, 2)
	case "GB":
		return "+44 20 " + digits(x, 4) + " " + digits(x, 4)
	default:
		return c.Dial + " " + digits(x, 3) + " " + digits(x, 3) + " " + digits(x, 3)
	}
}
