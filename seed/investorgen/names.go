package investorgen

// locale holds the given names and surnames used for people from a country.
type locale struct {
	First []string
	Last  []string
	// TwoSurnames: Spanish-speaking people often carry both surnames ("María García López").
	TwoSurnames float64
}

var locales = map[string]*locale{
	"es": {
		First: []string{
			"María", "Carmen", "Lucía", "Laura", "Marta", "Elena", "Ana", "Paula", "Cristina", "Sara", "Isabel", "Raquel",
			"Beatriz", "Nuria", "Irene", "Alba", "Claudia", "Patricia", "Silvia", "Rocío", "Inés", "Blanca", "Teresa", "Julia",
			"Javier", "Carlos", "David", "Daniel", "Alejandro", "Pablo", "Jorge", "Álvaro", "Sergio", "Miguel", "Antonio",
			"Manuel", "Juan", "José", "Francisco", "Luis", "Diego", "Adrián", "Iñaki", "Jaime", "Gonzalo", "Íñigo", "Rafael",
			"Fernando", "Borja", "Ignacio", "Andrés", "Rubén", "Óscar", "Marc", "Jordi", "Pau", "Xavier", "Aitor", "Unai",
		},
		Last: []string{
			"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín",
			"Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro",
			"Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez",
			"Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina", "Garrido",
			"Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Cruz", "Calvo", "Gallego",
			"Vidal", "León", "Herrera", "Peña", "Flores", "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco", "Aguirre",
			"Echeverría", "Etxeberria", "Puig", "Soler", "Ferrer", "Vila", "Casals", "Mas", "Roca", "Pujol", "Llorente",
		},
		TwoSurnames: 0.45,
	},
	"latam": {
		First: []string{
			"Valentina", "Camila", "Sofía", "Isabella", "Mariana", "Gabriela", "Daniela", "Victoria", "Luciana", "Fernanda",
			"Carolina", "Andrea", "Natalia", "Catalina", "Ximena", "Renata", "Florencia", "Agustina", "Paola", "Julieta",
			"Santiago", "Mateo", "Sebastián", "Matías", "Nicolás", "Martín", "Felipe", "Tomás", "Joaquín", "Emiliano",
			"Rodrigo", "Andrés", "Alejandro", "Diego", "Juan Pablo", "Ricardo", "Eduardo", "Gustavo", "Federico", "Facundo",
			"Mauricio", "Esteban", "Camilo", "Cristóbal", "Ignacio", "Héctor", "Arturo", "Emilio", "Leonardo", "Gonzalo",
		},
		Last: []string{
			"Hernández", "García", "Martínez", "López", "González", "Rodríguez", "Pérez", "Sánchez", "Ramírez", "Flores",
			"Torres", "Rivera", "Gómez", "Díaz", "Vargas", "Castillo", "Jiménez", "Morales", "Romero", "Herrera", "Medina",
			"Aguilar", "Mendoza", "Rojas", "Silva", "Muñoz", "Contreras", "Soto", "Guzmán", "Salazar", "Cárdenas", "Ortega",
			"Navarro", "Peña", "Fuentes", "Valenzuela", "Espinoza", "Quintero", "Zapata", "Restrepo", "Ospina", "Benítez",
			"Acosta", "Paz", "Sosa", "Ferreyra", "Villalobos", "Carrasco", "Araya", "Bustos", "Campos", "Figueroa",
		},
		TwoSurnames: 0.35,
	},
	"pt": {
		First: []string{
			"Ana", "Beatriz", "Inês", "Mariana", "Catarina", "Sofia", "Joana", "Rita", "Carolina", "Leonor", "Marta", "Helena",
			"Fernanda", "Juliana", "Camila", "Larissa", "João", "Pedro", "Tiago", "Miguel", "Rui", "Nuno", "André", "Ricardo",
			"Gonçalo", "Duarte", "Francisco", "Rafael", "Lucas", "Gabriel", "Thiago", "Felipe", "Bruno", "Rodrigo", "Gustavo",
			"Vinícius", "Leonardo", "Diogo",
		},
		Last: []string{
			"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Jesus", "Sousa", "Fernandes",
			"Gonçalves", "Gomes", "Lopes", "Marques", "Alves", "Almeida", "Ribeiro", "Pinto", "Carvalho", "Teixeira", "Moreira",
			"Correia", "Mendes", "Nunes", "Soares", "Vieira", "Monteiro", "Cardoso", "Rocha", "Barbosa", "Araújo", "Cavalcanti",
			"Azevedo", "Machado",
		},
		TwoSurnames: 0.3,
	},
	"en": {
		First: []string{
			"James", "John", "Michael", "David", "Daniel", "Matthew", "Andrew", "Thomas", "William", "Robert", "Christopher",
			"Benjamin", "Samuel", "Oliver", "Jack", "Harry", "George", "Alexander", "Ryan", "Nathan", "Ethan", "Kevin", "Brian",
			"Sarah", "Emily", "Jessica", "Jennifer", "Emma", "Olivia", "Sophie", "Charlotte", "Hannah", "Rachel", "Lauren",
			"Katherine", "Elizabeth", "Amanda", "Megan", "Rebecca", "Alice", "Grace", "Chloe", "Lucy", "Victoria", "Priya",
			"Arjun", "Wei", "Mei", "Aisha", "Omar",
		},
		Last: []string{
			"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas",
			"Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young",
			"Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts",
			"Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Murphy", "Cook", "Rogers",
			"Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson",
			"Brooks", "Bennett", "Gray", "Hughes", "Price", "Sanders", "Patel", "Shah", "Chen", "Wang", "Kim", "Singh",
			"O'Brien", "O'Connor", "Walsh", "Byrne", "Fitzgerald",
		},
	},
	"fr": {
		First: []string{
			"Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Marie", "Claire", "Pauline", "Mathilde", "Charlotte",
			"Émilie", "Anaïs", "Lucas", "Hugo", "Louis", "Thomas", "Nicolas", "Julien", "Antoine", "Maxime", "Alexandre",
			"Pierre", "Guillaume", "Mathieu", "Romain", "Clément", "Benoît", "François", "Jérôme", "Étienne", "Olivier", "Arthur",
		},
		Last: []string{
			"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
			"Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard",
			"André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier",
			"Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Chevalier",
		},
	},
	"de": {
		First: []string{
			"Anna", "Lena", "Laura", "Julia", "Sophie", "Katharina", "Lisa", "Hannah", "Leonie", "Johanna", "Clara", "Miriam",
			"Maximilian", "Alexander", "Paul", "Lukas", "Felix", "Jonas", "Leon", "Tobias", "Florian", "Sebastian", "Moritz",
			"Philipp", "Jan", "Niklas", "Stefan", "Markus", "Christian", "Matthias", "Andreas", "Jürgen", "Benedikt", "Konstantin",
		},
		Last: []string{
			"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer",
			"Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
			"Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Huber", "Kaiser",
			"Fuchs", "Vogel", "Keller", "Brunner", "Frei",
		},
	},
	"it": {
		First: []string{
			"Giulia", "Chiara", "Francesca", "Sara", "Martina", "Valentina", "Alessia", "Federica", "Elisa", "Silvia", "Giorgia",
			"Marco", "Alessandro", "Andrea", "Luca", "Matteo", "Lorenzo", "Francesco", "Davide", "Simone", "Federico",
			"Riccardo", "Stefano", "Giovanni", "Paolo", "Tommaso", "Gabriele", "Edoardo", "Filippo",
		},
		Last: []string{
			"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
			"Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana",
			"Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Villa",
		},
	},
	"nordic": {
		First: []string{
			"Emma", "Maja", "Ida", "Sofia", "Freja", "Astrid", "Ingrid", "Sara", "Linnea", "Elin", "Aino", "Liisa", "Kadri",
			"Erik", "Lars", "Anders", "Johan", "Magnus", "Nils", "Oskar", "Henrik", "Mikkel", "Rasmus", "Jonas", "Mikael",
			"Kristian", "Fredrik", "Olli", "Jukka", "Mattias", "Karl", "Tanel", "Sten",
		},
		Last: []string{
			"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Lindberg",
			"Hansen", "Jensen", "Nielsen", "Pedersen", "Christensen", "Larsen", "Sørensen", "Olsen", "Johansen", "Berg",
			"Haugen", "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Lehtonen", "Tamm", "Saar", "Lindqvist", "Holm",
		},
	},
	"nl": {
		First: []string{
			"Sanne", "Lotte", "Eva", "Anouk", "Femke", "Lisa", "Iris", "Fleur", "Daan", "Bram", "Sem", "Lars", "Thijs",
			"Ruben", "Jeroen", "Pieter", "Maarten", "Joost", "Sander", "Wouter", "Bas", "Koen",
		},
		Last: []string{
			"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
			"de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "Dijkstra",
		},
	},
	"il": {
		First: []string{"Noa", "Tamar", "Yael", "Maya", "Shira", "Michal", "Adi", "Yossi", "Avi", "Eitan", "Omer", "Itai", "Noam", "Amit", "Ido", "Gil", "Ronen", "Tal"},
		Last:  []string{"Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Friedman", "Katz", "Azoulay", "Shapiro", "Ben-David", "Goldberg", "Rosen", "Barak", "Segal", "Avraham"},
	},
	"pl": {
		First: []string{"Anna", "Katarzyna", "Agnieszka", "Magdalena", "Zofia", "Marta", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Jakub", "Marcin", "Łukasz"},
		Last:  []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski"},
	},
}

// foreignLocales is where people living outside their home country come from (a fixed order: never
// range over the locales map).
var foreignLocales = newWeightedStrings([]weightedString{
	{"en", 30}, {"es", 15}, {"latam", 15}, {"fr", 10}, {"de", 10}, {"it", 8}, {"pt", 7}, {"nl", 3},
	{"nordic", 3}, {"il", 2}, {"pl", 2},
})

// personName draws a name typical of the place; about one person in ten is from elsewhere.
func personName(x *rnd, p place) (first, last string) {
	key := p.Country().Locale
	if x.chance(0.1) {
		key = foreignLocales.pick(x).S
	}
	loc := locales[key]
	first = x.pick(loc.First)
	last = x.pick(loc.Last)
	if loc.TwoSurnames > 0 && x.chance(loc.TwoSurnames) {
		second := x.pick(loc.Last)
		if second != last {
			last += " " + second
		}
	}
	return first, last
}
