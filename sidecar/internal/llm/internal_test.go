package llm

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/genai"
)

func TestBackoff(t *testing.T) {
	c := &Client{cfg: Config{RetryBaseDelay: 100 * time.Millisecond, RetryMaxDelay: time.Second}}
	for n, max := range map[int]time.Duration{1: 100, 2: 200, 3: 400, 4: 800, 5: 1000, 30: 1000} {
		max *= time.Millisecond
		for range 200 {
			d := c.backoff(n)
			if d < max/2 || d > max {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, max/2, max)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[c.backoff(3)] = true
	}
	if len(seen) < 10 {
		t.Errorf("backoff has %d distinct values in 50 draws: no jitter?", len(seen))
	}
}

func TestRetryDelayParsesRetryInfo(t *testing.T) {
	details := []map[string]any{
		{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []any{}},
		{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"},
	}
	if d := retryDelay(details); d != 1500*time.Millisecond {
		t.Errorf("retryDelay = %v, want 1.5s", d)
	}
	if d := retryDelay(nil); d != 0 {
		t.Errorf("retryDelay(nil) = %v", d)
	}
}

func TestValidateSchema(t *testing.T) {
	ptr := genai.Ptr[int64]
	f := genai.Ptr[float64]
	cases := []struct {
		name   string
		schema *Schema
		json   string
		errHas string // "" = valid
	}{
		{"any", &Schema{}, `{"x":[1,"a",null]}`, ""},
		{"string", &Schema{Type: TypeString}, `"a"`, ""},
		{"string vs number", &Schema{Type: TypeString}, `1`, "want STRING, got number"},
		{"min length in runes", &Schema{Type: TypeString, MinLength: ptr(3)}, `"ñé"`, "at least 3"},
		{"max length in runes", &Schema{Type: TypeString, MaxLength: ptr(2)}, `"ñé"`, ""},
		{"date-time", &Schema{Type: TypeString, Format: "date-time"}, `"2026-11-25T10:00:00Z"`, ""},
		{"bad date-time", &Schema{Type: TypeString, Format: "date-time"}, `"yesterday"`, "RFC 3339"},
		{"date", &Schema{Type: TypeString, Format: "date"}, `"2026-11-25"`, ""},
		{"bad pattern in schema", &Schema{Type: TypeString, Pattern: "("}, `"a"`, "does not compile"},
		{"integer", &Schema{Type: TypeInteger, Minimum: f(1), Maximum: f(5)}, `5`, ""},
		{"integer below", &Schema{Type: TypeInteger, Minimum: f(1)}, `0`, "below minimum"},
		{"integer exponent", &Schema{Type: TypeInteger}, `1e3`, "want INTEGER"},
		{"number", &Schema{Type: TypeNumber}, `-1.5e3`, ""},
		{"boolean", &Schema{Type: TypeBoolean}, `"true"`, "want BOOLEAN"},
		{"null type", &Schema{Type: TypeNull}, `null`, ""},
		{"nullable", &Schema{Type: TypeString, Nullable: genai.Ptr(true)}, `null`, ""},
		{"array min", &Schema{Type: TypeArray, MinItems: ptr(1)}, `[]`, "at least 1"},
		{"array items path", &Schema{Type: TypeArray, Items: &Schema{Type: TypeObject, Required: []string{"id"}}}, `[{"id":1},{}]`, `$[1]: required property "id"`},
		{"nested path", &Schema{Type: TypeObject, Properties: map[string]*Schema{"a": {Type: TypeObject, Properties: map[string]*Schema{"b": {Type: TypeInteger}}}}}, `{"a":{"b":"x"}}`, "$.a.b: want INTEGER"},
		{"max properties", &Schema{Type: TypeObject, MaxProperties: ptr(1)}, `{"a":1,"b":2}`, "at most 1"},
		{"integer enum", &Schema{Type: TypeInteger, Enum: []string{"1", "2"}}, `3`, "not in enum"},
		{"anyOf match", &Schema{AnyOf: []*Schema{{Type: TypeInteger}, {Type: TypeString}}}, `"x"`, ""},
		{"anyOf none", &Schema{AnyOf: []*Schema{{Type: TypeInteger}, {Type: TypeString}}}, `true`, "none of anyOf"},
		{"unknown type", &Schema{Type: "MAP"}, `{}`, "not supported"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := decodeJSON(tc.json)
			if err != nil {
				t.Fatalf("decodeJSON: %v", err)
			}
			err = validateSchema(tc.schema, v, "$", 0)
			switch {
			case tc.errHas == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)):
				t.Errorf("error = %v, want one containing %q", err, tc.errHas)
			}
		})
	}
}

func TestValidateSchemaNeverEchoesValues(t *testing.T) {
	s := &Schema{Type: TypeObject, Properties: map[string]*Schema{"a": {Type: TypeInteger}, "b": {Type: TypeString, Enum: []string{"x"}}}}
	for _, doc := range []string{`{"a":"SECRET"}`, `{"b":"SECRET"}`} {
		v, _ := decodeJSON(doc)
		if err := validateSchema(s, v, "$", 0); err == nil || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("validate(%s) = %v, want an error without the value", doc, err)
		}
	}
}

func TestValidateSchemaDepthLimit(t *testing.T) {
	deep := &Schema{Type: TypeArray}
	deep.Items = deep // recursive schema: arrays of arrays of ...
	doc := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	v, err := decodeJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := validateSchema(deep, v, "$", 0); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("error = %v, want the depth limit", err)
	}
}
