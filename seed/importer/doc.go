// Package importer loads the prototype team's scraped CSV exports (angels, funds, fund employees,
// service companies) into the 0Bullshit schema.
//
// Headers are matched case-insensitively, ignoring '_', '-', '.', spaces and accents, so the
// prototype's camelCase names (linkedinUrl, fullName, addressWithCountry), their snake_case
// variants, the flattened Crunchbase paths (website/value, location_identifiers/0/value) and the
// Spanish company columns (nombre, descripcion_corta, sector_categorias, ...) are all accepted. A
// UTF-8 byte-order mark is skipped and ';'-separated files (Excel in Spanish locales) are detected.
//
// Every data row is either written or rejected with a reason (line, column, why); one bad row never
// fails the file. Rows are upserted on their natural key (linkedin_url for people, lower(name) for
// funds, linkedin_url or else name for companies), and an update only happens when a value actually
// changed, so importing the same file twice changes nothing.
//
// Value mapping:
//   - Sector lists (comma-separated strings or Python list literals, English or Spanish) go through
//     the taxonomy exactly like public.sector_id: id, label_en, label_es or a synonym, compared
//     lower-cased and trimmed.
//   - Stage strings in English or Spanish map to public.funding_stage. Two umbrella terms expand:
//     "early stage" (etapa/fase temprana) is pre_seed + seed and "late stage" (etapa/fase tardía)
//     is series_c + growth; "expansion" is series_b, "pre-series A"/"bridge" are seed, "Series D/E"
//     count as series_c and pre-IPO/mezzanine/private equity as growth. The prototype's loose
//     words ("startup", "early-growth", "traction") are not stages and are rejected as unknown.
//   - Locations ("Madrid, Community of Madrid, Spain" or the location_identifiers columns) resolve
//     the country by its English or Spanish name, ISO code or a common alias (USA, UK, EE. UU.);
//     the first part is the city and the one before the country the region. A single part that is
//     not a country is kept as free text without a country; several parts ending in an unknown
//     country reject the row.
//   - LinkedIn URLs are normalised to https://www.linkedin.com/in/<slug> (people) or
//     /company/<slug> (organisations): scheme forced to https, any *.linkedin.com host rewritten to
//     www, query, fragment and trailing slash removed, slug lower-cased (LinkedIn vanity names are
//     case-insensitive, and this keeps duplicates from slipping through).
//   - Scores accept ',' or '.' as the decimal separator and are rounded to two decimals.
//
// By default unknown sectors, stages or countries and malformed optional fields (email, website,
// phone, picture, a fund's or company's LinkedIn page) reject the row; with Options.Lenient they are
// dropped instead (a location keeps its text) and listed as warnings. A missing or invalid natural
// key, an out-of-range score, an unknown fund or a duplicate always rejects the row.
package importer
