package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"google.golang.org/genai"
)

// Schema is the OpenAPI-subset schema of Gemini's structured output (genai.Schema), re-exported so
// callers need not import the SDK. It is sent as generationConfig.responseSchema, and GenerateJSON
// checks the answer against it: type, nullable, enum, format (date-time, date), pattern,
// minLength/maxLength, minimum/maximum, minItems/maxItems, properties, required,
// minProperties/maxProperties and anyOf. Properties the schema does not declare are ignored.
type Schema = genai.Schema

// Type is a Schema type.
type Type = genai.Type

// Schema types.
const (
	TypeString  = genai.TypeString
	TypeNumber  = genai.TypeNumber
	TypeInteger = genai.TypeInteger
	TypeBoolean = genai.TypeBoolean
	TypeArray   = genai.TypeArray
	TypeObject  = genai.TypeObject
	TypeNull    = genai.TypeNULL
)

// decodeJSON parses one JSON value (numbers kept as json.Number) and rejects trailing data.
func decodeJSON(text string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not JSON: data after the value")
	}
	return v, nil
}

// maxDepth bounds the nesting validateSchema follows, against pathological answers.
const maxDepth = 64

// validateSchema checks v (decoded by decodeJSON) against s. The error names the JSON path and the
// rule, never the value (it may hold user text).
func validateSchema(s *Schema, v any, path string, depth int) error {
	if s == nil {
		return nil
	}
	if depth > maxDepth {
		return fmt.Errorf("%s: nested deeper than %d", path, maxDepth)
	}
	if len(s.AnyOf) > 0 {
		ok := false
		for _, alt := range s.AnyOf {
			if validateSchema(alt, v, path, depth+1) == nil {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("%s: matches none of anyOf", path)
		}
	}
	if v == nil {
		if s.Type == "" || s.Type == genai.TypeNULL || s.Type == genai.TypeUnspecified || (s.Nullable != nil && *s.Nullable) {
			return nil
		}
		return fmt.Errorf("%s: null, want %s", path, s.Type)
	}
	switch s.Type {
	case "", genai.TypeUnspecified:
	case genai.TypeNULL:
		return fmt.Errorf("%s: want null, got %s", path, kindOf(v))
	case genai.TypeString:
		str, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want STRING, got %s", path, kindOf(v))
		}
		if err := checkString(s, str); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	case genai.TypeInteger:
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s: want INTEGER, got %s", path, kindOf(v))
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return fmt.Errorf("%s: want INTEGER, got a non-integral or out-of-range number", path)
		}
		if err := checkRange(s, float64(i)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	case genai.TypeNumber:
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s: want NUMBER, got %s", path, kindOf(v))
		}
		f, err := n.Float64()
		if err != nil || math.IsInf(f, 0) {
			return fmt.Errorf("%s: number out of range", path)
		}
		if err := checkRange(s, f); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	case genai.TypeBoolean:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want BOOLEAN, got %s", path, kindOf(v))
		}
	case genai.TypeArray:
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want ARRAY, got %s", path, kindOf(v))
		}
		if s.MinItems != nil && int64(len(arr)) < *s.MinItems {
			return fmt.Errorf("%s: %d items, want at least %d", path, len(arr), *s.MinItems)
		}
		if s.MaxItems != nil && int64(len(arr)) > *s.MaxItems {
			return fmt.Errorf("%s: %d items, want at most %d", path, len(arr), *s.MaxItems)
		}
		for i, item := range arr {
			if err := validateSchema(s.Items, item, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
	case genai.TypeObject:
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want OBJECT, got %s", path, kindOf(v))
		}
		for _, name := range s.Required {
			if _, ok := obj[name]; !ok {
				return fmt.Errorf("%s: required property %q missing", path, name)
			}
		}
		if s.MinProperties != nil && int64(len(obj)) < *s.MinProperties {
			return fmt.Errorf("%s: %d properties, want at least %d", path, len(obj), *s.MinProperties)
		}
		if s.MaxProperties != nil && int64(len(obj)) > *s.MaxProperties {
			return fmt.Errorf("%s: %d properties, want at most %d", path, len(obj), *s.MaxProperties)
		}
		// Walk in a fixed order so the first error reported is deterministic.
		names := make([]string, 0, len(s.Properties))
		for name := range s.Properties {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			val, ok := obj[name]
			if !ok {
				continue
			}
			if err := validateSchema(s.Properties[name], val, path+"."+name, depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s: schema type %q is not supported", path, s.Type)
	}
	if len(s.Enum) > 0 && s.Type != genai.TypeString {
		if !slices.Contains(s.Enum, scalarText(v)) {
			return fmt.Errorf("%s: value not in enum", path)
		}
	}
	return nil
}

func checkString(s *Schema, str string) error {
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
		return errors.New("value not in enum")
	}
	n := int64(utf8.RuneCountInString(str))
	if s.MinLength != nil && n < *s.MinLength {
		return fmt.Errorf("%d characters, want at least %d", n, *s.MinLength)
	}
	if s.MaxLength != nil && n > *s.MaxLength {
		return fmt.Errorf("%d characters, want at most %d", n, *s.MaxLength)
	}
	switch s.Format {
	case "date-time":
		if _, err := time.Parse(time.RFC3339, str); err != nil {
			return errors.New("not an RFC 3339 date-time")
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, str); err != nil {
			return errors.New("not a YYYY-MM-DD date")
		}
	}
	if s.Pattern != "" {
		re, err := compilePattern(s.Pattern)
		if err != nil {
			return fmt.Errorf("schema pattern does not compile: %w", err)
		}
		if !re.MatchString(str) {
			return errors.New("does not match pattern")
		}
	}
	return nil
}

func checkRange(s *Schema, f float64) error {
	if s.Minimum != nil && f < *s.Minimum {
		return fmt.Errorf("below minimum %v", *s.Minimum)
	}
	if s.Maximum != nil && f > *s.Maximum {
		return fmt.Errorf("above maximum %v", *s.Maximum)
	}
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	default:
		return ""
	}
}

var patterns sync.Map // pattern string -> *regexp.Regexp

func compilePattern(p string) (*regexp.Regexp, error) {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	patterns.Store(p, re)
	return re, nil
}
