package importer

import (
	"fmt"
	"strings"
)

// Kind is the kind of export a file holds.
type Kind string

// The four export kinds.
const (
	Angels    Kind = "angels"
	Funds     Kind = "funds"
	Employees Kind = "employees"
	Companies Kind = "companies"
)

// Kinds lists the kinds in the order files should be imported (employees need their funds).
func Kinds() []Kind { return []Kind{Funds, Employees, Angels, Companies} }

// ParseKind accepts a kind name, singular or plural, or a table name.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "angels", "angel", "angel_investors":
		return Angels, nil
	case "funds", "fund", "investment_funds":
		return Funds, nil
	case "employees", "employee", "fund_employees", "employee_funds":
		return Employees, nil
	case "companies", "company":
		return Companies, nil
	}
	return "", fmt.Errorf("importer: unknown kind %q (want angels, funds, employees or companies)", s)
}

func (k Kind) table() string {
	return map[Kind]string{Angels: "angel_investors", Funds: "investment_funds", Employees: "fund_employees", Companies: "companies"}[k]
}

// field is a piece of information an export can carry, whatever its header is called.
type field int

const (
	fLinkedIn field = iota
	fName
	fHeadline
	fAbout
	fEmail
	fPic
	fLocation
	fLoc0
	fLoc1
	fLoc2
	fLoc3
	fScore
	fReasonsEN
	fReasonsES
	fCatGenEN
	fCatGenES
	fCatGen
	fCatStrEN
	fCatStrES
	fCatStr
	fStGenEN
	fStGenES
	fStGen
	fStStrEN
	fStStrES
	fStStr
	fDescription
	fPhone
	fWebsite
	fJobTitle
	fFundName
	fServiceCategory
	fKwGen
	fKwSpec
	fKw
)

var locationFields = []field{fLocation, fLoc0, fLoc1, fLoc2, fLoc3}

// headerAliases maps normalised header names (see normHeader) to fields, per kind.
var headerAliases = map[Kind]map[string]field{
	Angels: {
		"linkedinurl": fLinkedIn, "linkedin": fLinkedIn, "linkedinprofile": fLinkedIn,
		"fullname": fName, "name": fName,
		"headline": fHeadline, "about": fAbout, "summary": fAbout, "email": fEmail,
		"profilepic": fPic, "profilepicurl": fPic, "profilepicture": fPic,
		"addresswithcountry": fLocation, "location": fLocation, "address": fLocation,
		"angelscore": fScore, "score": fScore,
		"validationreasonsenglish": fReasonsEN, "reasonsen": fReasonsEN,
		"validationreasonsspanish": fReasonsES, "reasonses": fReasonsES,
		"categoriesgeneralen": fCatGenEN, "categoriesgenerales": fCatGenES, "categoriesgeneral": fCatGen,
		"categoriesstrongen": fCatStrEN, "categoriesstronges": fCatStrES, "categoriesstrong": fCatStr,
		"stagegeneralen": fStGenEN, "stagesgeneralen": fStGenEN, "stagegenerales": fStGenES, "stagesgenerales": fStGenES,
		"stagegeneral": fStGen, "stagesgeneral": fStGen,
		"stagestrongen": fStStrEN, "stagesstrongen": fStStrEN, "stagestronges": fStStrES, "stagesstronges": fStStrES,
		"stagestrong": fStStr, "stagesstrong": fStStr,
	},
	Funds: {
		"name": fName, "companyname": fName, "fundname": fName,
		"shortdescription": fDescription, "description": fDescription, "companydescription": fDescription,
		"contactemail": fEmail, "email": fEmail, "companyemail": fEmail,
		"phonenumber": fPhone, "phone": fPhone, "companyphone": fPhone,
		"linkedin": fLinkedIn, "linkedinurl": fLinkedIn, "companylinkedin": fLinkedIn,
		"website/value": fWebsite, "website": fWebsite, "companywebsite": fWebsite,
		"locationidentifiers/0/value": fLoc0, "locationidentifiers/1/value": fLoc1,
		"locationidentifiers/2/value": fLoc2, "locationidentifiers/3/value": fLoc3,
		"location": fLocation, "companylocation": fLocation,
		"categorykeywords": fCatGen, "investmentcategories": fCatGen, "categories": fCatGen, "categoriesgeneral": fCatGen,
		"categoriesstrong": fCatStr,
		"stagekeywords":    fStGen, "investingstage": fStGen, "stages": fStGen, "stagesgeneral": fStGen,
		"stagesstrong": fStStr,
		"score":        fScore,
	},
	Employees: {
		"linkedinurl": fLinkedIn, "linkedin": fLinkedIn,
		"fullname": fName, "name": fName,
		"headline": fHeadline, "email": fEmail,
		"profilepic": fPic, "profilepicurl": fPic, "profilepicture": fPic,
		"addresswithcountry": fLocation, "location": fLocation,
		"jobtitle": fJobTitle, "currentjobtitle": fJobTitle, "title": fJobTitle,
		"fundname": fFundName, "fund": fFundName,
		"scorecombinado": fScore, "score": fScore,
	},
	Companies: {
		"nombre": fName, "name": fName,
		"descripcioncorta": fDescription, "description": fDescription,
		"webempresa": fWebsite, "website": fWebsite,
		"correo": fEmail, "email": fEmail,
		"telefono": fPhone, "phone": fPhone,
		"linkedin": fLinkedIn, "linkedinurl": fLinkedIn,
		"sectorcategorias": fCatGen, "sectors": fCatGen,
		"ubicaciongeneral": fLocation, "location": fLocation,
		"keywordsgenerales": fKwGen, "keywordsespecificas": fKwSpec, "keywords": fKw,
		"servicecategory": fServiceCategory, "categoriaservicio": fServiceCategory,
		"startuprelevancescore": fScore, "relevancescore": fScore,
	},
}

// requiredFields must have a column in the header (and a value in each row).
var requiredFields = map[Kind][]field{
	Angels:    {fLinkedIn, fName},
	Funds:     {fName},
	Employees: {fLinkedIn, fName, fFundName},
	Companies: {fName, fServiceCategory},
}

// fieldNames are the prototype's names, used when a required column is missing.
var fieldNames = map[field]string{
	fLinkedIn: "linkedinUrl", fName: "fullName / name / nombre", fFundName: "fund_name", fServiceCategory: "service_category",
}

// column is a target column and the fields it is computed from: it is written only when the file has
// at least one of them, so a file without, say, a phone column never clears stored phone numbers.
type column struct {
	name   string
	fields []field
	cast   string // SQL cast applied to the parameter
}

var (
	catStrongFields  = []field{fCatStrEN, fCatStrES, fCatStr}
	catGeneralFields = []field{fCatGenEN, fCatGenES, fCatGen}
	stStrongFields   = []field{fStStrEN, fStStrES, fStStr}
	stGeneralFields  = []field{fStGenEN, fStGenES, fStGen}
	stageCast        = "::text[]::public.funding_stage[]"
)

func locationColumns() []column {
	return []column{
		{name: "location", fields: locationFields}, {name: "city", fields: locationFields},
		{name: "region", fields: locationFields}, {name: "country", fields: locationFields},
	}
}

var columnsByKind = map[Kind][]column{
	Angels: append([]column{
		{name: "linkedin_url", fields: []field{fLinkedIn}},
		{name: "full_name", fields: []field{fName}},
		{name: "headline", fields: []field{fHeadline}},
		{name: "about", fields: []field{fAbout}},
		{name: "email", fields: []field{fEmail}},
		{name: "profile_pic_url", fields: []field{fPic}},
		{name: "categories_strong", fields: catStrongFields, cast: "::text[]"},
		{name: "categories_general", fields: catGeneralFields, cast: "::text[]"},
		{name: "stages_strong", fields: stStrongFields, cast: stageCast},
		{name: "stages_general", fields: stGeneralFields, cast: stageCast},
		{name: "score", fields: []field{fScore}, cast: "::numeric"},
		{name: "reasons_en", fields: []field{fReasonsEN}},
		{name: "reasons_es", fields: []field{fReasonsES}},
	}, locationColumns()...),
	Funds: append([]column{
		{name: "name", fields: []field{fName}},
		{name: "description", fields: []field{fDescription}},
		{name: "email", fields: []field{fEmail}},
		{name: "phone", fields: []field{fPhone}},
		{name: "linkedin_url", fields: []field{fLinkedIn}},
		{name: "website", fields: []field{fWebsite}},
		{name: "categories_strong", fields: []field{fCatStr}, cast: "::text[]"},
		{name: "categories_general", fields: []field{fCatGen}, cast: "::text[]"},
		{name: "stages_strong", fields: []field{fStStr}, cast: stageCast},
		{name: "stages_general", fields: []field{fStGen}, cast: stageCast},
		{name: "score", fields: []field{fScore}, cast: "::numeric"},
	}, locationColumns()...),
	Employees: append([]column{
		{name: "fund_id", fields: []field{fFundName}, cast: "::uuid"},
		{name: "linkedin_url", fields: []field{fLinkedIn}},
		{name: "full_name", fields: []field{fName}},
		{name: "headline", fields: []field{fHeadline}},
		{name: "job_title", fields: []field{fJobTitle}},
		{name: "seniority", fields: []field{fJobTitle}},
		{name: "email", fields: []field{fEmail}},
		{name: "profile_pic_url", fields: []field{fPic}},
		{name: "score", fields: []field{fScore}, cast: "::numeric"},
	}, locationColumns()...),
	Companies: append([]column{
		{name: "name", fields: []field{fName}},
		{name: "description", fields: []field{fDescription}},
		{name: "website", fields: []field{fWebsite}},
		{name: "email", fields: []field{fEmail}},
		{name: "phone", fields: []field{fPhone}},
		{name: "linkedin_url", fields: []field{fLinkedIn}},
		{name: "service_category", fields: []field{fServiceCategory}},
		{name: "sectors", fields: []field{fCatGen}, cast: "::text[]"},
		{name: "keywords", fields: []field{fKwGen, fKwSpec, fKw}, cast: "::text[]"},
		{name: "relevance_score", fields: []field{fScore}, cast: "::numeric"},
	}, locationColumns()...),
}
