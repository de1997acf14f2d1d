package agents

// The mentor's curated knowledge: advice in the spirit of Y Combinator's Startup School, by topic
// and stage band, in English and Spanish. Keywords are folded (lower case, no accents); a trailing
// '*' is a prefix.

// Stage bands the advice distinguishes.
const (
	bandIdea    = "idea"
	bandPreSeed = "pre_seed"
	bandSeed    = "seed"
	bandSeriesA = "series_a"
	bandLater   = "later"
)

// mentorTopic is one subject of advice.
type mentorTopic struct {
	id       string
	keywords []string
	title    msg
	byStage  map[string]msg // stage band → the stage-specific core of the answer
	unknown  msg            // when the stage is unknown
	bullets  []msg          // principles that hold at every stage
}

// mentorTopics, specific subjects first: on a tie the earlier topic wins, so "deck for investors"
// is about the pitch, not fundraising in general.
var mentorTopics = []mentorTopic{
	{
		id:       "pitch",
		keywords: []string{"pitch*", "deck", "slides", "presentation", "demo day", "elevator", "one pager", "presentacion", "diapositiva*", "memo"},
		title:    msg{"Your pitch", "Tu pitch"},
		byStage: map[string]msg{
			bandIdea: {"With no traction yet, the deck sells the problem and the team: why this problem is painful, what you learned from talking to customers and why you are the ones to solve it. Show the first version and any commitments you have.",
				"Sin tracción todavía, el deck vende el problema y el equipo: por qué duele el problema, qué aprendiste hablando con clientes y por qué sois vosotros quienes lo vais a resolver. Enseña la primera versión y cualquier compromiso que tengas."},
			bandPreSeed: {"At pre-seed the deck is short (10–12 slides): problem, solution and demo, early users and what they say, market, team, and the ask with the milestones it buys.",
				"En pre-seed el deck es corto (10–12 diapositivas): problema, solución y demo, primeros usuarios y qué dicen, mercado, equipo y la petición con los hitos que financia."},
			bandSeed: {"At seed, traction goes on slide two or three: the growth chart, revenue and retention. Then why now, market size from the bottom up, business model, team and the ask.",
				"En seed la tracción va en la segunda o tercera diapositiva: gráfica de crecimiento, ingresos y retención. Después por qué ahora, mercado calculado de abajo arriba, modelo de negocio, equipo y la petición."},
			bandSeriesA: {"For a Series A lead with the growth engine: revenue growth, cohorts, unit economics and how the next dollar of spend turns into revenue. Keep a data room ready before the first meeting.",
				"Para una Serie A empieza por el motor de crecimiento: crecimiento de ingresos, cohortes, economía unitaria y cómo cada euro invertido se convierte en ingresos. Ten el data room listo antes de la primera reunión."},
			bandLater: {"Later-stage decks are financial stories: efficiency metrics, margins, market leadership and the plan to profitability or exit, backed by a complete data room.",
				"Los decks de fases avanzadas son historias financieras: métricas de eficiencia, márgenes, liderazgo de mercado y el plan hacia la rentabilidad o la salida, con un data room completo."},
		},
		unknown: msg{"A good deck has 10–12 slides: problem, solution, traction, market, business model, team and the ask. Put your strongest evidence first.",
			"Un buen deck tiene 10–12 diapositivas: problema, solución, tracción, mercado, modelo de negocio, equipo y la petición. Pon tu mejor evidencia al principio."},
		bullets: []msg{
			{"Say what you do in two sentences a stranger understands, with no jargon.", "Explica qué hacéis en dos frases que entienda cualquiera, sin jerga."},
			{"Specific beats impressive: real numbers, real customer quotes, a live demo.", "Lo concreto gana a lo impresionante: números reales, frases reales de clientes, una demo en vivo."},
			{"End with the ask: amount, instrument and what the money achieves.", "Termina con la petición: importe, instrumento y qué consigue ese dinero."},
		},
	},
	{
		id: "valuation",
		keywords: []string{"valuat*", "valoracion", "valorar", "safe", "safes", "convertible*", "cap", "dilution", "diluir", "dilucion",
			"equity", "pre money", "post money", "premoney", "postmoney", "term sheet*", "cap table", "participaciones", "acciones"},
		title: msg{"Valuation and terms", "Valoración y condiciones"},
		byStage: map[string]msg{
			bandIdea: {"Before you have a product and users, valuation is mostly a negotiation about dilution. Keep it simple: a small amount on a standard post-money SAFE, giving away as little as you can while still funding the validation work.",
				"Antes de tener producto y usuarios, la valoración es sobre todo una negociación sobre dilución. Hazlo simple: poco importe con un SAFE post-money estándar, cediendo lo mínimo posible pero financiando el trabajo de validación."},
			bandPreSeed: {"At pre-seed most rounds use SAFEs or convertible notes with a valuation cap. A common target is selling around 10–15% in the round; what matters more than the cap is closing quickly with investors who help.",
				"En pre-seed la mayoría de rondas usan SAFEs o notas convertibles con valoración máxima (cap). Un objetivo habitual es ceder en torno al 10–15% en la ronda; más que el cap importa cerrar rápido con inversores que aporten."},
			bandSeed: {"At seed, plan to sell roughly 15–25% of the company. Your traction and competition between investors set the price, not a formula; model the dilution of all your SAFEs together before you sign the next one.",
				"En seed planifica ceder aproximadamente un 15–25% de la empresa. El precio lo fijan tu tracción y la competencia entre inversores, no una fórmula; modela la dilución de todos tus SAFEs juntos antes de firmar el siguiente."},
			bandSeriesA: {"A Series A is usually a priced equity round with a lead investor setting terms. Look beyond the headline valuation: liquidation preference (1x non-participating is standard), board seats, option pool size and pro rata rights.",
				"Una Serie A suele ser una ronda de equity con precio y un inversor líder que fija las condiciones. Mira más allá de la valoración: preferencia de liquidación (1x no participativa es lo estándar), puestos en el consejo, tamaño del pool de opciones y derechos de pro rata."},
			bandLater: {"In later rounds, terms matter as much as price: preferences stack up, so a higher valuation with heavy terms can be worse than a fair one with clean terms.",
				"En rondas avanzadas las condiciones importan tanto como el precio: las preferencias se acumulan, así que una valoración alta con condiciones duras puede ser peor que una justa con condiciones limpias."},
		},
		unknown: msg{"Valuation follows evidence: the more traction and investor competition you have, the better the price. Early rounds use SAFEs or convertible notes; later ones are priced equity rounds.",
			"La valoración sigue a la evidencia: cuanta más tracción y competencia entre inversores, mejor precio. Las primeras rondas usan SAFEs o notas convertibles; las posteriores son rondas de equity con precio."},
		bullets: []msg{
			{"Keep your cap table clean: few small investors, standard documents, founders with the clear majority early on.", "Mantén limpia la cap table: pocos inversores pequeños, documentos estándar y fundadores con clara mayoría al principio."},
			{"Optimise for the right partner and a fast close, not the last euro of valuation.", "Optimiza para el socio adecuado y un cierre rápido, no para el último euro de valoración."},
			{"Have a startup lawyer review any term sheet before you sign.", "Haz que un abogado de startups revise cualquier term sheet antes de firmar."},
		},
	},
	{
		id: "team",
		keywords: []string{"cofounder*", "co founder*", "cofundador*", "cofundadora*", "socio*", "socia*", "equity split", "reparto", "repart*", "split",
			"team", "equipo", "founder*", "fundador*", "cto", "ceo", "vesting", "cliff"},
		title: msg{"Team and cofounders", "Equipo y cofundadores"},
		byStage: map[string]msg{
			bandIdea: {"Now is the time to get the founding team right: ideally two or three founders who have worked together, with someone who can build the product. Test the relationship on a real project before splitting equity.",
				"Ahora es el momento de acertar con el equipo fundador: idealmente dos o tres fundadores que ya hayan trabajado juntos, con alguien capaz de construir el producto. Probad la relación en un proyecto real antes de repartir el equity."},
			bandPreSeed: {"Investors at pre-seed bet largely on the team: show why you are the people to solve this (domain insight, building ability) and that founders are full-time.",
				"En pre-seed los inversores apuestan sobre todo por el equipo: demuestra por qué sois las personas para resolver esto (conocimiento del sector, capacidad de construir) y que los fundadores estáis a tiempo completo."},
			bandSeed: {"After seed you will hire your first key people: keep the founders doing sales and product, and hire only for roles that block growth today.",
				"Tras el seed contratarás a tus primeras personas clave: que los fundadores sigan en ventas y producto, y contrata solo para los puestos que hoy frenan el crecimiento."},
			bandSeriesA: {"At Series A you need leaders, not only doers: hire heads of function for the areas that must scale, and be explicit about what each founder owns.",
				"En Serie A necesitas líderes, no solo ejecutores: contrata responsables para las áreas que deben escalar y deja claro de qué es responsable cada fundador."},
			bandLater: {"At this stage the team is the operating system: an experienced executive team, clear goals per function and a culture that survives rapid hiring.",
				"En esta fase el equipo es el sistema operativo: un equipo directivo con experiencia, objetivos claros por área y una cultura que aguante el crecimiento rápido."},
		},
		unknown: msg{"Investors look hard at the founding team: complementary skills, someone who builds the product, full-time commitment and a fair, vested equity split.",
			"Los inversores miran mucho el equipo fundador: habilidades complementarias, alguien que construya el producto, dedicación completa y un reparto de equity justo y con vesting."},
		bullets: []msg{
			{"Split founder equity fairly (near-equal is common) and put everyone on 4-year vesting with a 1-year cliff.", "Repartid el equity de forma justa (casi a partes iguales es habitual) y poned a todos vesting de 4 años con 1 año de cliff."},
			{"Agree on roles, decision-making and time commitment in writing before there is money at stake.", "Acordad por escrito roles, toma de decisiones y dedicación antes de que haya dinero en juego."},
			{"Hire slowly, fire fast; the first ten hires set the culture.", "Contrata despacio y despide rápido; las diez primeras personas definen la cultura."},
		},
	},
	{
		id: "pricing",
		keywords: []string{"pric*", "precio*", "cobrar", "charge", "charging", "monetiz*", "subscription*", "suscripcion*", "freemium",
			"tarifa*", "business model", "modelo de negocio", "revenue model"},
		title: msg{"Pricing", "Precios"},
		byStage: map[string]msg{
			bandIdea: {"Test willingness to pay before you build much: ask prospects to pre-pay or sign a paid pilot. If nobody will pay anything, you have learned something important cheaply.",
				"Prueba la disposición a pagar antes de construir mucho: pide a los interesados un prepago o un piloto de pago. Si nadie paga nada, has aprendido algo importante y barato."},
			bandPreSeed: {"Charge from your first customers, even if it is less than the final price: paying users give honest feedback. Price on the value you create for them, not on your costs.",
				"Cobra desde tus primeros clientes, aunque sea menos que el precio final: los usuarios que pagan dan feedback honesto. Fija el precio por el valor que les generas, no por tus costes."},
			bandSeed: {"Most startups charge too little. Raise prices for new customers and watch conversion; if almost nobody complains, you are still too cheap. Simple tiers beat custom quotes until you have a sales team.",
				"La mayoría de startups cobra demasiado poco. Sube precios a los nuevos clientes y observa la conversión; si casi nadie se queja, sigues siendo barato. Unos planes simples ganan a los presupuestos a medida hasta que tengas equipo comercial."},
			bandSeriesA: {"At scale, pricing is a growth lever: segment by customer size, add annual plans and expansion paths, and track net revenue retention as the proof pricing works.",
				"A escala, el precio es una palanca de crecimiento: segmenta por tamaño de cliente, añade planes anuales y vías de expansión, y sigue la retención neta de ingresos como prueba de que funciona."},
			bandLater: {"Later on, optimise packaging and expansion revenue: upsell paths, usage-based components and discount discipline in sales.",
				"Más adelante, optimiza el empaquetado y los ingresos por expansión: rutas de upsell, componentes por uso y disciplina de descuentos en ventas."},
		},
		unknown: msg{"Price on the value you create, charge early and raise prices until some customers push back.",
			"Fija el precio por el valor que creas, cobra pronto y sube precios hasta que algunos clientes se resistan."},
		bullets: []msg{
			{"Talk to customers about the cost of the problem today; that anchors your price.", "Habla con clientes de lo que hoy les cuesta el problema; eso ancla tu precio."},
			{"Fewer, clearer plans convert better than many options.", "Pocos planes y claros convierten mejor que muchas opciones."},
			{"Annual prepayment improves cash and retention.", "El pago anual por adelantado mejora la caja y la retención."},
		},
	},
	{
		id: "growth",
		keywords: []string{"growth", "grow", "growing", "crecer", "crecimiento", "metric*", "metrica*", "kpi*", "traction", "traccion",
			"churn", "retention", "retencion", "acquisition", "adquisicion", "marketing", "cac", "ltv", "mrr", "arr", "sales", "ventas",
			"clientes nuevos", "more customers", "more users", "mas clientes", "mas usuarios"},
		title: msg{"Growth and metrics", "Crecimiento y métricas"},
		byStage: map[string]msg{
			bandIdea: {"Before launch the only metric is learning: how many customer conversations you had this week and what you changed because of them. Launch something small quickly so you have real usage to measure.",
				"Antes de lanzar, la única métrica es el aprendizaje: cuántas conversaciones con clientes tuviste esta semana y qué cambiaste gracias a ellas. Lanza algo pequeño rápido para tener uso real que medir."},
			bandPreSeed: {"Pick one primary metric (active users, paying customers or revenue) and set a weekly growth target; 5–7% a week is excellent early on. Do things that don't scale: recruit users one by one and onboard them yourself.",
				"Elige una métrica principal (usuarios activos, clientes de pago o ingresos) y ponte un objetivo semanal; un 5–7% semanal es excelente al principio. Haz cosas que no escalan: capta usuarios uno a uno y haz tú su onboarding."},
			bandSeed: {"Measure weekly revenue or usage growth and retention by cohort; find the one or two acquisition channels that work and double down before adding new ones.",
				"Mide cada semana el crecimiento de ingresos o uso y la retención por cohortes; encuentra los uno o dos canales de adquisición que funcionan y apuesta por ellos antes de abrir otros."},
			bandSeriesA: {"Now growth has to be repeatable and efficient: track CAC payback, LTV/CAC, net revenue retention and burn multiple, and know which channel scales with more money.",
				"Ahora el crecimiento tiene que ser repetible y eficiente: sigue el payback de CAC, LTV/CAC, la retención neta de ingresos y el burn multiple, y sabe qué canal escala con más dinero."},
			bandLater: {"Focus on efficient growth: net revenue retention, gross margin and burn multiple, plus new segments or markets that extend the growth curve.",
				"Céntrate en el crecimiento eficiente: retención neta de ingresos, margen bruto y burn multiple, y nuevos segmentos o mercados que alarguen la curva."},
		},
		unknown: msg{"Choose one primary metric, measure it weekly and set a growth target; retention tells you whether growth will last.",
			"Elige una métrica principal, mídela cada semana y ponte un objetivo de crecimiento; la retención te dice si ese crecimiento va a durar."},
		bullets: []msg{
			{"Retention first: growth on top of churn is a leaky bucket.", "Primero la retención: crecer con mucho churn es llenar un cubo agujereado."},
			{"Review the metric every week with the whole team and decide one thing to change.", "Revisad la métrica cada semana con todo el equipo y decidid una cosa que cambiar."},
			{"Be default alive: know when you run out of cash at the current growth and burn.", "Sé default alive: debes saber cuándo te quedas sin caja con el crecimiento y el burn actuales."},
		},
	},
	{
		id: "pmf",
		keywords: []string{"product market fit", "pmf", "validat*", "validar", "validacion", "mvp", "encaje", "customer discovery",
			"interview*", "entrevista*", "problem", "problema", "idea", "prototype", "prototipo", "feedback", "pivot*", "pivotar"},
		title: msg{"Product-market fit", "Encaje producto-mercado"},
		byStage: map[string]msg{
			bandIdea: {"Validate the problem before the solution: interview 15–20 people who should have it, ask about the last time it happened and what they did, and listen for pain they already pay to solve. Then build the smallest version that solves it.",
				"Valida el problema antes que la solución: entrevista a 15–20 personas que deberían tenerlo, pregúntales por la última vez que les pasó y qué hicieron, y busca un dolor por el que ya pagan. Después construye la versión más pequeña que lo resuelva."},
			bandPreSeed: {"You have a product; now find the users who love it. Watch retention: do people come back without being pushed? Ask users how they would feel if the product disappeared; if fewer than 40% would be very disappointed, keep iterating.",
				"Ya tienes producto; ahora encuentra a los usuarios que lo adoran. Mira la retención: ¿vuelven sin que les empujes? Pregunta cómo se sentirían si el producto desapareciera; si menos del 40% estaría muy decepcionado, sigue iterando."},
			bandSeed: {"Signs of product-market fit: retention curves that flatten, customers pulling the product out of your hands and growth from word of mouth. Until you see them, spend on product and learning, not on scaling marketing.",
				"Señales de encaje producto-mercado: curvas de retención que se aplanan, clientes que te quitan el producto de las manos y crecimiento por boca a boca. Hasta verlas, invierte en producto y aprendizaje, no en escalar marketing."},
			bandSeriesA: {"With fit in your core segment, check it holds in the next one before scaling there: retention and sales cycle per segment tell you.",
				"Con encaje en tu segmento principal, comprueba que se mantiene en el siguiente antes de escalar allí: te lo dicen la retención y el ciclo de venta por segmento."},
			bandLater: {"At scale, product-market fit is re-earned with each new product or market; treat each expansion like an early-stage bet with its own metrics.",
				"A escala, el encaje se vuelve a ganar con cada producto o mercado nuevo; trata cada expansión como una apuesta early-stage con sus propias métricas."},
		},
		unknown: msg{"Product-market fit shows in retention and pull: users come back on their own and bring others. Until then, talk to users and iterate quickly.",
			"El encaje producto-mercado se ve en la retención y la demanda: los usuarios vuelven solos y traen a otros. Hasta entonces, habla con usuarios e itera rápido."},
		bullets: []msg{
			{"Talk to users every week; write down what they do, not only what they say.", "Habla con usuarios cada semana; apunta lo que hacen, no solo lo que dicen."},
			{"Pick a narrow first customer segment you can own.", "Elige un primer segmento de clientes estrecho que puedas dominar."},
			{"Launch early and iterate; a product nobody uses teaches you nothing.", "Lanza pronto e itera; un producto que nadie usa no te enseña nada."},
		},
	},
	{
		id: "hiring",
		keywords: []string{"hir*", "contratar", "contratacion*", "recruit*", "employee*", "emplead*", "talent*", "talento", "esop",
			"stock options", "opciones", "salar*", "sueldo*", "freelance*"},
		title: msg{"Hiring", "Contratación"},
		byStage: map[string]msg{
			bandIdea: {"Don't hire yet: founders should build and sell the first version themselves. If a critical skill is missing, look for a cofounder rather than an employee.",
				"No contrates todavía: los fundadores deben construir y vender la primera versión. Si falta una habilidad crítica, busca un cofundador antes que un empleado."},
			bandPreSeed: {"Hire only what blocks progress today, usually engineering. Generalists who ship fast beat specialists; use equity (ESOP) to compete with bigger salaries.",
				"Contrata solo lo que hoy bloquea el avance, normalmente ingeniería. Los generalistas que ejecutan rápido ganan a los especialistas; usa equity (ESOP) para competir con salarios mayores."},
			bandSeed: {"After the seed, hire against the plan the money funds: each hire should map to a milestone. Founders keep doing the first sales before hiring salespeople.",
				"Tras el seed, contrata según el plan que financia la ronda: cada contratación debe corresponder a un hito. Los fundadores hacen las primeras ventas antes de contratar comerciales."},
			bandSeriesA: {"Build the management layer: heads of engineering, sales and marketing who have done the next stage before, and a real recruiting process.",
				"Construye la capa directiva: responsables de ingeniería, ventas y marketing que ya hayan vivido la siguiente fase, y un proceso de selección de verdad."},
			bandLater: {"Hiring at scale needs a recruiting function, clear levels and compensation bands, and onboarding that keeps the culture.",
				"Contratar a escala requiere un equipo de selección, niveles y bandas salariales claros y un onboarding que preserve la cultura."},
		},
		unknown: msg{"Hire only for what blocks growth today, keep the bar high and use an option pool to attract people early.",
			"Contrata solo para lo que hoy bloquea el crecimiento, mantén el listón alto y usa un pool de opciones para atraer talento al principio."},
		bullets: []msg{
			{"Your first hires should be people you would happily start a company with.", "Tus primeras contrataciones deberían ser personas con las que montarías una empresa."},
			{"Reserve an option pool (often around 10%) and give early employees meaningful equity with vesting.", "Reserva un pool de opciones (a menudo en torno al 10%) y da a los primeros empleados equity relevante con vesting."},
			{"Hire slowly, fire fast.", "Contrata despacio y despide rápido."},
		},
	},
	{
		id: "fundraising",
		keywords: []string{"raise", "raising", "fundrais*", "funding", "investor*", "round", "money", "capital", "business angel*",
			"angel*", "vc", "vcs", "venture", "levantar", "levanto", "ronda", "financiacion", "financiar*", "inversor*",
			"inversion", "dinero", "fondo*", "invertir"},
		title: msg{"Raising money", "Levantar dinero"},
		byStage: map[string]msg{
			bandIdea: {"At the idea stage investors fund evidence, not ideas. Validate first: interview 15–20 potential customers about the problem, get a few to commit (a letter of intent, a pre-order, a pilot) and ship a first version. Friends, family and angels who know the space are your realistic first money.",
				"En fase de idea los inversores financian evidencias, no ideas. Valida primero: entrevista a 15–20 clientes potenciales sobre el problema, consigue que algunos se comprometan (carta de intención, prepedido, piloto) y lanza una primera versión. Tu primer dinero realista: amigos, familia y business angels que conozcan el sector."},
			bandPreSeed: {"Pre-seed is raised on team, insight and early signals: a working product, first users and how fast they come back. Raise enough for 12–18 months to reach clear seed milestones, usually on a SAFE or convertible note, mostly from angels and pre-seed funds.",
				"El pre-seed se levanta con equipo, visión y primeras señales: producto funcionando, primeros usuarios y cuánto repiten. Levanta para 12–18 meses que te lleven a hitos claros de seed, normalmente con un SAFE o nota convertible, sobre todo de business angels y fondos pre-seed."},
			bandSeed: {"Seed investors want traction: revenue or strong usage growing week over week and a believable path to a much bigger market. Know your numbers cold (MRR, growth, retention, burn), find a lead investor first, then fill the round; plan 18–24 months of runway.",
				"Los inversores seed quieren tracción: ingresos o uso fuerte creciendo semana a semana y un camino creíble a un mercado mucho mayor. Domina tus números (MRR, crecimiento, retención, burn), consigue primero un inversor líder y luego completa la ronda; planifica 18–24 meses de runway."},
			bandSeriesA: {"A Series A is raised on a repeatable growth engine: strong revenue growth, good unit economics (CAC payback, LTV/CAC) and retention cohorts that hold. Run a tight process: line up your meetings in two or three weeks so term sheets arrive together.",
				"Una Serie A se levanta con un motor de crecimiento repetible: ingresos creciendo fuerte, buena economía unitaria (payback de CAC, LTV/CAC) y cohortes que retienen. Haz un proceso compacto: concentra las reuniones en dos o tres semanas para que las term sheets lleguen a la vez."},
			bandLater: {"At this stage the round is about efficient growth: net revenue retention, margins, burn multiple and a credible path to profitability. Talk to existing investors about pro rata early and build relationships with growth funds months before you need them.",
				"En esta fase la ronda va de crecimiento eficiente: retención neta de ingresos, márgenes, burn multiple y un camino creíble a la rentabilidad. Habla pronto con tus inversores actuales sobre su pro rata y construye relación con fondos de growth meses antes de necesitarlos."},
		},
		unknown: msg{"What investors need depends on your stage: evidence of demand before pre-seed, traction for seed, a repeatable growth engine for a Series A. Be clear which of those you can show today.",
			"Lo que piden los inversores depende de tu fase: evidencias de demanda antes del pre-seed, tracción para el seed, un motor de crecimiento repetible para la Serie A. Ten claro cuál de esas cosas puedes demostrar hoy."},
		bullets: []msg{
			{"Target investors who already back your sector and stage; a warm intro beats a cold email.", "Apunta a inversores que ya invierten en tu sector y fase; una intro cálida vale más que un email en frío."},
			{"Fundraising is a sprint, not a lifestyle: prepare, run it in a few weeks, then get back to building.", "Levantar es un sprint, no un modo de vida: prepárate, hazlo en pocas semanas y vuelve a construir."},
			{"Ask explicitly: how much you raise, on what instrument, and what milestones it buys.", "Pide de forma explícita: cuánto levantas, con qué instrumento y qué hitos te permite alcanzar."},
		},
	},
}

// generalTopic answers questions that match no topic: the core of Startup School.
var generalTopic = mentorTopic{
	id:    "general",
	title: msg{"Focus", "Foco"},
	byStage: map[string]msg{
		bandIdea:    {"Your job now is to find out whether people really have this problem: talk to potential customers every day and build the smallest thing that solves it.", "Tu trabajo ahora es averiguar si la gente tiene de verdad este problema: habla con clientes potenciales cada día y construye lo mínimo que lo resuelva."},
		bandPreSeed: {"Your job now is to get a few users to love the product: launch, talk to them every week and iterate on what makes them come back.", "Tu trabajo ahora es que unos pocos usuarios adoren el producto: lanza, habla con ellos cada semana e itera en lo que les hace volver."},
		bandSeed:    {"Your job now is growth: one primary metric, a weekly target and the one or two channels that work.", "Tu trabajo ahora es crecer: una métrica principal, un objetivo semanal y los uno o dos canales que funcionan."},
		bandSeriesA: {"Your job now is to make growth repeatable and efficient, and to build the team that runs it.", "Tu trabajo ahora es que el crecimiento sea repetible y eficiente, y construir el equipo que lo ejecute."},
		bandLater:   {"Your job now is efficient growth and leadership: metrics, margins and a strong executive team.", "Tu trabajo ahora es crecer con eficiencia y liderar: métricas, márgenes y un equipo directivo sólido."},
	},
	unknown: msg{"Startups succeed by making something people want: talk to users, launch early, measure growth weekly and stay default alive.",
		"Las startups triunfan haciendo algo que la gente quiere: habla con usuarios, lanza pronto, mide el crecimiento cada semana y mantente default alive."},
	bullets: []msg{
		{"Talk to users; it is the highest-return thing you can do.", "Habla con usuarios; es lo que más retorno da."},
		{"Do things that don't scale to get your first customers.", "Haz cosas que no escalan para conseguir tus primeros clientes."},
		{"Measure one metric weekly and act on it.", "Mide una métrica cada semana y actúa en consecuencia."},
	},
}

// sectorHints add one sector-specific line to fundraising, product and growth advice.
var sectorHints = map[string]msg{
	"healthtech": {"Healthtech: plan early for regulation (medical-device rules, data protection) and show clinical or buyer validation; sales cycles with hospitals and insurers are long.",
		"Salud digital: planifica pronto la regulación (normativa de producto sanitario, protección de datos) y muestra validación clínica o del comprador; los ciclos de venta con hospitales y aseguradoras son largos."},
	"fintech": {"Fintech: know your licensing path (your own licence or a regulated partner) and show you can acquire customers at a sensible cost; investors check compliance early.",
		"Fintech: ten claro el camino regulatorio (licencia propia o socio regulado) y demuestra que captas clientes a un coste razonable; los inversores miran pronto el cumplimiento normativo."},
	"saas": {"SaaS: investors read MRR growth, net revenue retention and CAC payback; annual contracts and low churn are your best arguments.",
		"SaaS: los inversores miran el crecimiento del MRR, la retención neta de ingresos y el payback del CAC; contratos anuales y poco churn son tus mejores argumentos."},
	"marketplace": {"Marketplaces: solve liquidity in one narrow niche or city first; investors look at GMV growth, take rate and repeat purchases.",
		"Marketplaces: resuelve la liquidez primero en un nicho o ciudad concretos; los inversores miran el crecimiento del GMV, el take rate y la recompra."},
	"climate": {"Climate: quantify the impact (for example tonnes of CO₂ avoided) next to the business case, and consider public grants alongside equity.",
		"Clima: cuantifica el impacto (por ejemplo toneladas de CO₂ evitadas) junto al caso de negocio, y combina subvenciones públicas con el equity."},
	"edtech": {"Edtech: be clear who pays (schools, companies or learners) and show learning outcomes and retention, not only sign-ups.",
		"Edtech: deja claro quién paga (centros, empresas o alumnos) y muestra resultados de aprendizaje y retención, no solo registros."},
	"ai": {"AI: show what is defensible beyond the model (proprietary data, workflow, distribution) and keep an eye on inference costs in your margins.",
		"IA: demuestra qué es defendible más allá del modelo (datos propios, flujo de trabajo, distribución) y vigila el coste de inferencia en tus márgenes."},
	"consumer": {"Consumer: investors look at organic growth and retention cohorts; paid acquisition alone rarely convinces them.",
		"Consumo: los inversores miran el crecimiento orgánico y las cohortes de retención; la adquisición pagada por sí sola rara vez convence."},
	"biotech": {"Biotech: the round is about de-risking milestones (data, IP, regulatory steps); specialised investors and non-dilutive grants matter most.",
		"Biotech: la ronda va de hitos que reducen riesgo (datos, patentes, pasos regulatorios); importan sobre todo los inversores especializados y las subvenciones no dilutivas."},
	"deeptech": {"Deep tech: show the technical milestones the money buys and the path to a first paying customer; grants and specialised funds help bridge long timelines.",
		"Deep tech: muestra los hitos técnicos que compra el dinero y el camino al primer cliente de pago; subvenciones y fondos especializados ayudan con plazos largos."},
	"hardware": {"Hardware: pre-orders and pilots are your best validation; plan manufacturing costs and working capital carefully.",
		"Hardware: prepedidos y pilotos son tu mejor validación; planifica con cuidado costes de fabricación y circulante."},
	"ecommerce": {"E-commerce: contribution margin after marketing and repeat purchase rate matter more than top-line growth.",
		"E-commerce: el margen de contribución tras marketing y la tasa de recompra importan más que el crecimiento de ventas."},
	"proptech": {"Proptech: sales cycles and regulation vary by city and country; show traction in one market before expanding.",
		"Proptech: ciclos de venta y regulación cambian por ciudad y país; demuestra tracción en un mercado antes de expandirte."},
}
