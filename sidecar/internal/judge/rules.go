package judge

import "strings"

// Intent rules: weighted patterns (syntax in pattern.go). A message's score for an intent is the
// sum, over the intent's groups, of the largest weight among the group's matching rules, so
// synonyms of one cue do not stack while independent cues do. Negative weights push an intent down
// ("plan de negocio" is not a subscription plan).
type rule struct {
	intent Intent
	group  string
	weight float64
	src    string
}

// Word classes used by the rules.
var ruleMacros = map[string][]string{
	"inv": words(`investor investors investers inversor inversores inversora inversionista inversionistas vc vcs
		venture_capital venture_capitalist venture_capitalists capital_riesgo fund funds fondo fondos angel angels
		business_angel business_angels family_office family_offices backer backers financiador financiadores
		accelerator accelerators aceleradora aceleradoras`),
	"find": words(`find* search* look_for looking_for look show_me show give_me get_me list recommend* suggest* need
		want busc* encuentr* encontr* necesit* quier* dame pasame muestrame ensename recomiend* sugier* any alguna
		algun algunos algunas conoces know_any`),
	"person": words(`partner partners socio socios socia associate associates analyst analysts analista analistas
		principal principals managing_partner general_partner gp team equipo persona person people gente someone
		somebody alguien contact contacts contacto contactos employee employees empleado empleados director
		directora head_of responsable staff members miembros investment_team manager managers
		investment_manager investment_managers vp vice_president`),
	"provider": words(`lawyer lawyers law_firm abogado abogada abogados despacho bufete gestoria gestor asesoria
		asesor asesora asesores accountant accountants accounting_firm accounting contable contabilidad auditor
		auditores auditoria auditorias audit agency agencies agencia agencias consultancy consulting consultora
		consultoras consultor consultores studio studios estudio provider providers proveedor proveedores notary
		notario attorney attorneys solicitor solicitors bookkeeper bookkeepers bookkeeping laboralista
		agente_de_patentes freelancer freelancers dev_shop software_factory employer_of_record eor firm firms
		company_that companies_that empresa_de empresas_que empresa_que vendor vendors designer designers
		disenador disenadores`),
	"write": words(`write writing draft compose redact* escrib* prepare prepara create crea hazme generate genera
		help_me_write ayudas_a_escribir ayudame_a_escribir`),
	"msg": words(`message messages mensaje mensajes email emails mail correo correos dm inmail intro introduction
		presentacion follow_up followup seguimiento invitation invitations invitacion invitaciones
		connection_request connection_requests solicitud_de_conexion cold_email note_to note notes
		connection_note connection_notes`),
	"contact": words(`contact contacta contactar contactame contactales contacta_con reach_out write_to escribir_a
		escribe_a escribeles escribirles mandales enviales send_to email_them message_them ping`),
	"deixis": words(`them these those estos estas esos esas ellos ellas they the_ones los_que les`),
	"field": words(`stage fase etapa sector sectors categoria categorias category categories country pais city
		ciudad team equipo metrics metricas mrr arr name nombre problem problema description descripcion
		product producto status estado funding ronda round industry industria location ubicacion`),
	"updverb": words(`update actualiza actualizar change cambia cambiar set pon ponme modifica modificar corrige
		correct fix edit edita`),
	"glossary": words(`safe pro_rata prorrata cap_table liquidation_preference preferencia_de_liquidacion vesting
		cliff dilution dilucion nota_convertible convertible_note convertible term_sheet drag_along tag_along
		pre_money post_money premoney postmoney arr mrr enisa ronda_puente bridge_round esop phantom_shares
		stock_options anti_dilution antidilucion due_diligence lead_investor sha pacto_de_socios kpi ebitda
		burn_rate runway valuation_cap discount_rate tranche tramo sweat_equity capital_social
		ampliacion_de_capital pari_passu cdti`),
}

// words splits a macro definition on white space.
func words(s string) []string { return strings.Fields(s) }

var intentRules = []rule{
	// search_investors ----------------------------------------------------------------------------
	{IntentSearchInvestors, "request", 3.0, "@find ... @inv"},
	{IntentSearchInvestors, "request", 2.5, "who|quien|quienes .. should|could|podria|puede|deberia|would .. pitch|liderar*|lead|invertir|invest|financiar*|talk_to|approach|hablar_con|contactar"},
	{IntentSearchInvestors, "request", 2.5, "@find ... money|dinero|funding|financiacion|financiamiento|inversion|investment|capital"},
	{IntentSearchInvestors, "request", 2.0, "which|what|que|cuales|cual @inv .. invest*|inviert*|back*|apuest*|financ*|fund"},
	{IntentSearchInvestors, "request", 2.5, "who|quien|quienes invest*|inviert*|back*|funds|financia*|apuesta*|mete|meten|puts_money"},
	{IntentSearchInvestors, "request", 2.5, "which|what|que|cuales|cual|any|algun|alguna|algunos @inv .. encaj*|fit|fits|suit*|match*|recomiend*|recommend*|nos_van|me_van|van_bien|would_like|les_gust*"},
	{IntentSearchInvestors, "noun", 1.2, "@inv"},
	{IntentSearchInvestors, "describe", 0.8, "@inv that|who|que|which|investing|inviertan|invierten|doing|focused|enfocad*|especializad*|for|para|de|in|en"},
	{IntentSearchInvestors, "more", 1.5, "more|mas|otros|other|another|otro .. @inv"},
	{IntentSearchInvestors, "round", 0.6, "raising|levantando|raise|closing|cerrando .. round|ronda"},
	{IntentSearchInvestors, "money", 0.8, "financiacion|financiamiento|funding|finaciacion|financing|capital"},

	// search_employees ----------------------------------------------------------------------------
	{IntentSearchEmployees, "who_at", 3.0, "@person & at|en|de|of|del|behind|from|in #Name"},
	{IntentSearchEmployees, "who_at", 3.0, "@person .. at|de|en|of|del|from .. @inv"},
	{IntentSearchEmployees, "who_at", 3.0, "who|quien|quienes .. work*|trabaj*|lleva*|decide*|cubre*|cover*|handle*|mire|mira|invierte|invests|runs|dirige .. at|en|in|de|para #Name"},
	{IntentSearchEmployees, "who_at", 2.5, "talk_to|hablo|hablar_con|speak_to|speak_with|reach .. at|en|in|de #Name"},
	{IntentSearchEmployees, "who", 1.5, "who|quien|quienes|con_quien & #Name"},
	{IntentSearchEmployees, "team", 2.5, "team_behind|equipo_de_inversion|investment_team|equipo_detras|the_team_at|el_equipo_de"},
	{IntentSearchEmployees, "covers", 1.5, "@person .. que|who|that|which .. cubr*|cover*|lleva*|handle*|mire*|invierte*|focus*"},
	{IntentSearchEmployees, "person", 0.6, "@person"},
	{IntentSearchEmployees, "hire", -2.5, "hire|hiring|contratar|contrato|contratamos|fichar|fichamos|recruit|recruiting|reclutar ... @person"},

	// search_companies ----------------------------------------------------------------------------
	{IntentSearchCompanies, "request", 3.0, "@find ... @provider"},
	{IntentSearchCompanies, "provider", 1.5, "@provider"},
	{IntentSearchCompanies, "help", 2.0, "who_can_help|quien_me_puede_ayudar|quien_nos_puede_ayudar|quien_puede_ayudar|quien_me_ayuda|someone_to_help|alguien_que_me_ayude|alguien_que_nos_ayude|who_could_help"},
	{IntentSearchCompanies, "which", 2.5, "which|what|que|any companies|empresas|firms .. offer|ofrecen|hacen|do|hagan|provide|sell|venden"},
	{IntentSearchCompanies, "service", 0.7, "incorporate|incorporation|constituir|constitucion|registrar_la_marca|trademark|patent|patente|gdpr|rgpd|tax|impuestos|fiscal|payroll|nominas|branding|ux|design|diseno|audit*|r_d|subvenciones|grants|legal"},

	// mentor -----------------------------------------------------------------------------------------
	{IntentMentor, "ask", 2.5, "should_i|should_we|deberia|deberiamos|debo|debemos|me_conviene|nos_conviene|conviene|would_you|harias"},
	{IntentMentor, "ask", 2.5, "how_do_i|how_do_we|how_can_i|how_can_we|how_should|how_to|how_would_you|como_puedo|como_podemos|como_hago|como_hacemos|como_consigo|como_conseguir|como_preparo|como_preparar|como_fijo|como_se_si|como_lo|como_mejoro|como_mejorar|como_encuentro|como_gestiono|como_manejo|como_negocio|como_negociar|como_valoro|how_do_i_know|how_do_we_know"},
	{IntentMentor, "ask", 2.5, "what_should|que_deberia|que_le_pongo|que_pongo|que_incluyo|que_incluir|what_to_include|que_hago|what_do_i_do|what_would_you_do|que_harias|que_hacemos"},
	{IntentMentor, "ask", 2.5, "tip|tips|advice|advise|consejo|consejos|feedback|opinion|opinas|what_do_you_think|que_te_parece|que_piensas|thoughts_on|your_take|tu_opinion"},
	{IntentMentor, "ask", 2.5, "good_idea|bad_idea|buena_idea|mala_idea|worth_it|vale_la_pena|merece_la_pena|make_sense|tiene_sentido|best_way|mejor_forma|mejor_manera|best_approach|good_way|buena_forma|buena_manera|right_way|right_moment|right_time|momento_adecuado|buen_momento"},
	{IntentMentor, "ask", 2.5, "how_much_should|how_much_equity|how_much_to_raise|cuanto_deberia|cuanto_deberiamos|cuanto_equity|cuanto_levantar|que_porcentaje|what_percentage|how_many_shares"},
	{IntentMentor, "judge", 1.5, "too_high|too_low|too_much|too_early|too_late|demasiado|demasiada|razonable|reasonable|realistic|realista|es_mucho|es_poco|mucho_pedir|is_it_enough|es_suficiente|is_that_enough"},
	{IntentMentor, "ask", 2.0, "^how|^como .. *o|*amos|*emos|*imos"},
	{IntentMentor, "whoshould", -2.0, "who|quien|quienes|con_quien should|deberia|debo|tengo"},
	{IntentMentor, "doubt", 1.5, "dudas|doubts|not_sure|no_se_si|no_estoy_seguro|unsure|stuck|atascad*|quemad*|burned_out|burnt_out|burnout|agotad*|desmotivad*|no_se_que_hacer"},
	{IntentMentor, "topic", 0.7, "pivot*|pmf|product_market_fit|churn|pricing|valuation|valoracion|equity|cofounder|cofundador|estrategia|strategy|go_to_market|gtm|customers|clientes|pitch|deck|hire|hiring|contratar|negotiat*|negociar|runway|traction|traccion|metric*|kpi*|competencia|competitor*|retention|retencion|unit_economics|fundraising|levantar|raise|users|usuarios|reunion|meeting"},
	{IntentMentor, "prepare", 1.5, "prepare|preparo|preparar|prepararme .. meeting|reunion|pitch|demo_day|due_diligence|call|llamada"},
	{IntentMentor, "first", 2.0, "how|como .. first|primeros|primer|primeras .. customers|clientes|users|usuarios|sales|ventas|hires"},
	{IntentMentor, "bizplan", 2.0, "plan_de_negocio|business_plan|plan_de_empresa|modelo_de_negocio|business_model"},

	// librarian --------------------------------------------------------------------------------------
	{IntentLibrarian, "define", 2.5, "what_does|what_do .. mean|stand_for"},
	{IntentLibrarian, "define", 2.5, "que_significa|que_significan|que_quiere_decir|meaning_of|significado_de|define|definicion|definition|explain|explica*|difference_between|diferencia_entre|que_diferencia|what_is_the_difference"},
	{IntentLibrarian, "define", 1.8, "what_is|what_s|whats|what_are|que_es|que_son|what_is_an"},
	{IntentLibrarian, "article", 0.8, "what_is|what_s|whats|que_es|que_son a|an|un|una|el|la|los|las"},
	{IntentLibrarian, "term", 1.0, "@glossary"},
	{IntentLibrarian, "count", 1.5, "how_many|cuantos|cuantas"},
	{IntentLibrarian, "count", 2.5, "how_many|cuantos|cuantas ... @inv|companies|empresas|startups|partners|socios"},
	{IntentLibrarian, "exist", 0.8, "are_there|are_in|hay|do_you_have|teneis|tienes|tienen"},
	{IntentLibrarian, "data", 2.0, "database|databases|base_de_datos|your_data|vuestros_datos|los_datos|dataset|data_source|de_donde_sacais|de_donde_sacan|where_do_you_get|how_does_your|como_funciona_vuestra|updated|actualizan|actualizais"},
	{IntentLibrarian, "record", 2.0, "my_project|mi_proyecto|our_project|nuestro_proyecto|mis_datos|my_data|my_profile|mi_perfil|mi_startup|my_startup|our_startup|nuestra_startup|mi_empresa|my_company & what|que|which|cual|cuales|show|muestra|know|sabes|tienes|have|tenes"},
	{IntentLibrarian, "completeness", 2.0, "completeness|completitud|how_complete|calculated|calcula|calculais|calculan|calculate"},
	{IntentLibrarian, "recall", 2.5, "^which|^what|^que|^cuales|^cual & did_you_show|did_you_send|you_showed|me_mostraste|me_ensenaste|me_has_mostrado|me_has_ensenado|me_pasaste|me_diste|yesterday|ayer|last_time|la_ultima_vez"},

	// project_update ---------------------------------------------------------------------------------
	{IntentProjectUpdate, "self", 1.0, "we_are|we_re|we_have|we_ve|we_just|we_now|our_startup|our_company|our_product|our_team|my_startup|my_company|somos|tenemos|estamos|hemos|nuestra_startup|nuestro_producto|nuestra_empresa|nuestro_equipo|mi_startup|mi_empresa|i_am_a|i_m_a|soy_un|soy_una|el_equipo|the_team|buscamos|necesitamos|we_need|we_re_looking|nos_hemos"},
	{IntentProjectUpdate, "update", 3.0, "@updverb .. my|mi|our|nuestro|nuestra|the|el|la .. @field"},
	{IntentProjectUpdate, "update", 2.0, "^update|^actualizacion|^novedad|^novedades|^news|^noticia|^fyi"},
	{IntentProjectUpdate, "change", 2.0, "actually|en_realidad|in_fact|de_hecho|ya_no|no_longer|not_anymore|now_we|ahora_somos|ahora_tenemos|we_pivoted|hemos_pivotado|pivotamos|we_moved|nos_hemos_mudado|nos_mudamos|moved_to|hemos_cambiado|we_changed"},
	{IntentProjectUpdate, "describe", 1.8, "we_build|we_make|we_sell|we_offer|we_help|we_develop|we_re_building|we_are_building|we_provide|we_connect|we_solve|construimos|hacemos|vendemos|ofrecemos|ayudamos|desarrollamos|conectamos|resolvemos|solucionamos|estamos_construyendo|estamos_desarrollando|facturamos|crecemos|cobramos|we_charge|we_re_growing|crecimos|we_launched|hemos_lanzado|lanzamos|just_launched|we_closed|cerramos|hemos_levantado|we_raised|levantamos|based_in|ubicados_en|con_sede_en|estamos_en|we_re_raising|we_are_raising|estamos_levantando|we_re_in|we_are_in|we_re_based|somos_una|somos_un|we_re_a|we_are_a"},
	{IntentProjectUpdate, "problem", 1.5, "the_problem|el_problema|nuestro_problema|our_problem|problem_we_solve|problema_que_resolvemos"},

	// outreach ---------------------------------------------------------------------------------------
	{IntentOutreach, "compose", 4.0, "@write ... @msg"},
	{IntentOutreach, "compose", 4.0, "send|envia|enviar|envíales|manda|mandales|mandar|enviales .. connection|conexion|invitation|invitacion|invitaciones|request|requests|solicitud|solicitudes|message|mensaje|mensajes|email|emails|correo"},
	{IntentOutreach, "compose", 4.0, "@contact ... @inv|@deixis|partner|partners|angel|angels|socio|socios"},
	{IntentOutreach, "contact", 3.0, "escribeles|contactales|mandales|enviales|escribirles|contactarles|write_to_them|contact_them|email_them|message_them|reach_out_to_them"},
	{IntentOutreach, "contact", 2.0, "@contact"},
	{IntentOutreach, "msg", 1.5, "@msg"},
	{IntentOutreach, "to", 1.5, "@msg to|para|a|al .. partner|investor|inversor|@inv|@person"},
	{IntentOutreach, "channel", 1.5, "linkedin"},
	{IntentOutreach, "channel", 3.0, "connect|conectar|conecto|link|vincular|vinculo .. linkedin"},
	{IntentOutreach, "campaign", 2.0, "campaign|campaigns|campana|campanas|outreach|secuencia|sequence"},
	{IntentOutreach, "control", 3.5, "start|launch|lanza|lanzar|arranca|activa|pause|pausa|pausar|stop|deten|detener|parar|resume|reanuda|cancel|cancela|run|ejecuta .. campaign|campana|outreach|secuencia|sequence"},
	{IntentOutreach, "stats", 2.5, "accepted|aceptado|aceptada|aceptaron|han_aceptado|replied|respondido|respondieron|respuestas|responses|reply_rate|open_rate|tasa_de_respuesta|opened|abierto"},
	{IntentOutreach, "edit", 3.0, "translate|traduce|traducir|traducelo .. message|mensaje|email|correo|outreach|it|lo|el"},

	// plans ------------------------------------------------------------------------------------------
	{IntentPlans, "plan", 1.5, "plan|plans|planes"},
	{IntentPlans, "subscription", 2.5, "subscription|subscriptions|suscripcion|suscripciones|suscribirme|subscribe|membership|membresia|billing"},
	{IntentPlans, "planname", 3.0, "plan_pro|pro_plan|plan_free|free_plan|plan_gratuito|plan_gratis|plan_outreach|outreach_plan|plan_premium|premium_plan|free_tier|plan_basico|el_pro|the_pro|al_pro|to_pro"},
	{IntentPlans, "pro", 0.8, "pro|premium"},
	{IntentPlans, "planname", 3.0, "free|gratis|gratuito|basic .. and|y|vs|or|o|versus .. pro|outreach|premium"},
	{IntentPlans, "include", 1.0, "include|includes|included|incluye|incluyen|incluido|incluida|features|funcionalidades|ventajas|benefits"},
	{IntentPlans, "include", 2.5, "what_s_included|what_is_included|whats_included|que_incluye|que_incluyen|que_trae|what_do_i_get|que_obtengo|what_do_you_get"},
	{IntentPlans, "price", 2.5, "how_much_is|how_much_does|how_much_for|cuanto_cuesta|cuanto_vale|cuanto_cuestan|cuanto_sale|cuanto_es"},
	{IntentPlans, "price2", 1.0, "price|prices|precio|precios|pricing|tarifa|tarifas|cost|costs|coste|cuesta|cuestan"},
	{IntentPlans, "switch", 2.5, "upgrade|downgrade|upgrade_me|pasarme_a|subir_de_plan|bajar_de_plan|cambiar_de_plan"},
	{IntentPlans, "switch", 2.5, "pasarme|pasar|cambiarme|switch|move|subir|bajar|cambiar|change|go .. to|a|al .. pro|free|gratis|gratuito|premium|outreach_plan|plan_gratuito"},
	{IntentPlans, "cancel", 2.0, "cancel|cancelar|cancela|cancelo|unsubscribe|darme_de_baja|dar_de_baja|darse_de_baja|anular"},
	{IntentPlans, "credits", 3.0, "credit|credits|credito|creditos"},
	{IntentPlans, "creditcost", 2.0, "credit|credits|credito|creditos & cost|costs|cuesta|cuestan|price|precio|vale|gasta|consume|consumes|spend|uses|usa"},
	{IntentPlans, "notcredits", -3.0, "tax_credit|tax_credits|creditos_fiscales|credito_fiscal|r_d_credits|credit_line|linea_de_credito|credito_bancario|bank_credit"},
	{IntentPlans, "billing", 3.0, "billing|invoice|invoices|receipt|receipts|recibo|recibos|la_factura|mi_factura|una_factura|factura_del|the_invoice|an_invoice|my_invoice"},
	{IntentPlans, "payment", 3.0, "charged|charge_me|cobrado|cobrais|cobrasteis|me_cobr*|refund|refunds|reembolso|devolucion|money_back|paypal|credit_card|card|tarjeta|declined|rechazada|rechazado|pay_with|pagar_con|payment_method|metodo_de_pago|my_payment|mi_pago|last_payment|ultimo_pago|billing_details|datos_de_pago|payment_details"},
	{IntentPlans, "trial", 2.5, "trial|free_trial|prueba_gratis|periodo_de_prueba|prueba_gratuita"},
	{IntentPlans, "discount", 1.5, "discount|discounts|descuento|descuentos|coupon|cupon|promo_code|codigo_promocional|annual_billing|pago_anual"},
	{IntentPlans, "limits", 1.0, "limit|limite|limits|limites|daily|diarios|diario|al_dia|per_day|quota|cuota|how_many_projects|cuantos_proyectos"},
	{IntentPlans, "balance", 1.0, "ran_out|run_out|me_he_quedado_sin|quedado_sin|out_of|sin_creditos|no_me_quedan|quedan|left|remaining|restantes"},
	{IntentPlans, "ourplans", 3.0, "what_plans|which_plans|your_plans|the_plans|que_planes|cuales_son_los_planes|vuestros_planes|sus_planes|tus_planes|los_planes|your_prices|your_pricing|vuestros_precios|sus_precios|tus_precios|los_precios|plans_do_you|plans_and_prices|planes_y_precios"},
	{IntentPlans, "myplan", 1.5, "my_plan|mi_plan|current_plan|plan_actual|which_plan|que_plan|my_account|mi_cuenta"},
	{IntentPlans, "notplan", -3.0, "plan_de_negocio|business_plan|plan_de_empresa|plan_de_marketing|marketing_plan|go_to_market_plan|plan_financiero|financial_plan"},

	// smalltalk --------------------------------------------------------------------------------------
	{IntentSmalltalk, "greet", 2.0, "^hi|^hello|^hey|^hola|^buenas|^buenos_dias|^buenas_tardes|^buenas_noches|^good_morning|^good_afternoon|^good_evening|^que_tal|^hi_there|^hey_there|^holi|^saludos|^greetings|^howdy|^ey"},
	{IntentSmalltalk, "howru", 2.0, "how_are_you|how_s_it_going|como_estas|como_va|que_tal|how_are_things|todo_bien"},
	{IntentSmalltalk, "thanks", 2.5, "thanks|thank_you|thx|ty|gracias|muchas_gracias|mil_gracias|merci|cheers|appreciate_it|te_lo_agradezco"},
	{IntentSmalltalk, "ack", 2.0, "^ok$|^okay$|^vale$|^cool$|^great$|^genial$|^perfecto$|^perfect$|^nice$|^got_it$|^entendido$|^de_acuerdo$|^sounds_good$|^awesome$|^guay$|^bien$|^excelente$|^super$|^top$|^claro$|^ok_thanks$|^oki$|^okey$|^k$|^vale_vale$|^ya$|^nice_one$|^wow$|^interesting$|^interesante$"},
	{IntentSmalltalk, "bye", 2.5, "bye|goodbye|adios|hasta_luego|hasta_manana|hasta_pronto|nos_vemos|see_you|see_ya|talk_tomorrow|talk_later|ciao|chao|good_night|that_s_all|thats_all|that_s_it_for|that_is_all|eso_es_todo|es_todo_por|nada_mas_por|nada_mas|for_today|por_hoy"},
	{IntentSmalltalk, "meta", 3.0, "who_are_you|quien_eres|que_eres|what_are_you|are_you_a_bot|are_you_human|are_you_a_human|are_you_a_person|are_you_a_robot|are_you_a_real|are_you_real|are_you_an_ai|are_you_ai|eres_una_ia|eres_un_bot|eres_humano|eres_real|eres_una_persona|eres_un_robot|what_can_you_do|que_puedes_hacer|what_do_you_do|que_haces|how_do_you_work|como_funcionas|what_can_i_do_here|que_puedo_hacer_aqui|who_made_you|quien_te_hizo|your_name|como_te_llamas"},
	{IntentSmalltalk, "laugh", 2.0, "lol|lmao|haha*|jaja*|jeje*|jiji*|xd|hehe*|rofl|jsjs*"},
}

type compiledRule struct {
	rule
	gid int // index of the rule's (intent, group) pair
}

// compiledRules, their pattern set (same order) and the number of (intent, group) pairs, built once.
var compiledRules, rulePatterns, groupCount = func() ([]compiledRule, *patternSet, int) {
	var out []compiledRule
	var ps []pattern
	groups := map[string]int{}
	for _, r := range intentRules {
		p, err := compilePattern(r.src, ruleMacros)
		if err != nil {
			panic("judge: intent rule: " + err.Error()) // rules are constants; the tests compile them
		}
		key := string(r.intent) + "/" + r.group
		g, ok := groups[key]
		if !ok {
			g = len(groups)
			groups[key] = g
		}
		out = append(out, compiledRule{rule: r, gid: g})
		ps = append(ps, p)
	}
	return out, newPatternSet(ps), len(groups)
}()
