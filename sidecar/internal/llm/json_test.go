package llm_test

import (
	"context"
	"reflect"
	"testing"

	"google.golang.org/genai"

	"github.com/zerobullshit/backend/sidecar/internal/llm"
	"github.com/zerobullshit/backend/sidecar/internal/llm/llmtest"
)

type decision struct {
	Intent     string   `json:"intent"`
	Confidence float64  `json:"confidence"`
	Spam       int      `json:"spam"`
	Language   string   `json:"language"`
	Sectors    []string `json:"sectors"`
	Amount     *int64   `json:"amount"`
}

func decisionSchema() *llm.Schema {
	return &llm.Schema{
		Type: llm.TypeObject,
		Properties: map[string]*llm.Schema{
			"intent":     {Type: llm.TypeString, Enum: []string{"search_investors", "mentor", "smalltalk", "spam"}},
			"confidence": {Type: llm.TypeNumber, Minimum: genai.Ptr(0.0), Maximum: genai.Ptr(1.0)},
			"spam":       {Type: llm.TypeInteger, Minimum: genai.Ptr(0.0), Maximum: genai.Ptr(100.0)},
			"language":   {Type: llm.TypeString, Pattern: "^[a-z]{2}$"},
			"sectors":    {Type: llm.TypeArray, Items: &llm.Schema{Type: llm.TypeString}, MaxItems: genai.Ptr[int64](3)},
			"amount":     {Type: llm.TypeInteger, Nullable: genai.Ptr(true)},
		},
		Required:         []string{"intent", "confidence", "spam", "language"},
		PropertyOrdering: []string{"intent", "confidence", "spam", "language", "sectors", "amount"},
	}
}

func TestGenerateJSON(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.JSON(map[string]any{
		"intent": "search_investors", "confidence": 0.92, "spam": 3, "language": "es",
		"sectors": []string{"fintech", "saas"}, "amount": 500000,
	}).WithUsage(120, 30))
	c := newClient(t, fake)
	req := llm.Request{
		System:      "Classify the founder's message.\n" + llm.UserTextRule,
		Messages:    []llm.Message{{Role: llm.RoleUser, Text: llm.QuoteUserText("busco inversores fintech para 500k")}},
		Temperature: genai.Ptr[float32](0.1),
		Model:       llm.DefaultFastModel,
	}
	var got decision
	usage, err := c.GenerateJSON(context.Background(), req, decisionSchema(), &got)
	if err != nil {
		t.Fatalf("GenerateJSON: %v", err)
	}
	want := decision{Intent: "search_investors", Confidence: 0.92, Spam: 3, Language: "es", Sectors: []string{"fintech", "saas"}, Amount: genai.Ptr[int64](500000)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v, want %+v", got, want)
	}
	if usage.PromptTokens != 120 || usage.OutputTokens != 30 || usage.TotalTokens != 150 || usage.Attempts != 1 || usage.Model != llm.DefaultFastModel {
		t.Errorf("usage = %+v", usage)
	}

	// On the wire: JSON mode, the schema in Gemini's OpenAPI form, temperature, system instruction.
	sent := fake.LastRequest()
	if sent.Model != llm.DefaultFastModel {
		t.Errorf("model = %q, want %q", sent.Model, llm.DefaultFastModel)
	}
	if sent.Config.ResponseMIMEType != "application/json" {
		t.Errorf("responseMimeType = %q, want application/json", sent.Config.ResponseMIMEType)
	}
	s := sent.Config.ResponseSchema
	if s["type"] != "OBJECT" {
		t.Errorf("responseSchema.type = %v, want OBJECT", s["type"])
	}
	props, _ := s["properties"].(map[string]any)
	intent, _ := props["intent"].(map[string]any)
	if intent["type"] != "STRING" || !reflect.DeepEqual(intent["enum"], []any{"search_investors", "mentor", "smalltalk", "spam"}) {
		t.Errorf("responseSchema.properties.intent = %v", intent)
	}
	if !reflect.DeepEqual(s["required"], []any{"intent", "confidence", "spam", "language"}) {
		t.Errorf("responseSchema.required = %v", s["required"])
	}
	if len(s["propertyOrdering"].([]any)) != 6 {
		t.Errorf("responseSchema.propertyOrdering = %v", s["propertyOrdering"])
	}
	if sent.Config.Temperature == nil || *sent.Config.Temperature != float64(float32(0.1)) && *sent.Config.Temperature != 0.1 {
		t.Errorf("temperature = %v, want 0.1", sent.Config.Temperature)
	}
	if sent.System != req.System {
		t.Errorf("system = %q, want %q", sent.System, req.System)
	}
	if sent.Contents[0].Text != req.Messages[0].Text {
		t.Errorf("user turn = %q, want the quoted text", sent.Contents[0].Text)
	}
}

// A structured answer that does not parse or does not match the schema is ErrBadOutput, never a
// silently zero value.
func TestGenerateJSONBadOutput(t *testing.T) {
	valid := `{"intent":"mentor","confidence":0.5,"spam":0,"language":"en"}`
	cases := []struct {
		name   string
		reply  llmtest.Reply
		reason string
	}{
		{"truncated JSON", llmtest.Text(`{"intent":"mentor","confid`), ""},
		{"truncated at max tokens", llmtest.Text(`{"intent":"mentor","confid`).WithFinishReason("MAX_TOKENS"), "MAX_TOKENS"},
		{"prose", llmtest.Text("Sure! Here is the JSON you asked for."), ""},
		{"two values", llmtest.Text(valid + valid), ""},
		{"code fence", llmtest.Text("```json\n" + valid + "\n```"), ""},
		{"missing required", llmtest.Text(`{"intent":"mentor","confidence":0.5,"spam":0}`), ""},
		{"not an object", llmtest.Text(`["mentor"]`), ""},
		{"enum", llmtest.Text(`{"intent":"hack","confidence":0.5,"spam":0,"language":"en"}`), ""},
		{"string for number", llmtest.Text(`{"intent":"mentor","confidence":"high","spam":0,"language":"en"}`), ""},
		{"fraction for integer", llmtest.Text(`{"intent":"mentor","confidence":0.5,"spam":2.5,"language":"en"}`), ""},
		{"above maximum", llmtest.Text(`{"intent":"mentor","confidence":1.5,"spam":0,"language":"en"}`), ""},
		{"pattern", llmtest.Text(`{"intent":"mentor","confidence":0.5,"spam":0,"language":"english"}`), ""},
		{"null not nullable", llmtest.Text(`{"intent":null,"confidence":0.5,"spam":0,"language":"en"}`), ""},
		{"too many items", llmtest.Text(`{"intent":"mentor","confidence":0.5,"spam":0,"language":"en","sectors":["a","b","c","d"]}`), ""},
		{"item type", llmtest.Text(`{"intent":"mentor","confidence":0.5,"spam":0,"language":"en","sectors":[1]}`), ""},
		{"integer overflows Go type", llmtest.Text(`{"intent":"mentor","confidence":0.5,"spam":99999999999999999999,"language":"en"}`), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(tc.reply.WithUsage(10, 5))
			var out decision
			usage, err := newClient(t, fake).GenerateJSON(context.Background(), ask("q"), decisionSchema(), &out)
			e := asError(t, err, llm.ErrBadOutput)
			if e.Reason != tc.reason {
				t.Errorf("reason = %q, want %q", e.Reason, tc.reason)
			}
			if usage.OutputTokens != 5 || usage.Attempts != 1 {
				t.Errorf("usage = %+v, want the billed tokens of the one attempt", usage)
			}
			if n := fake.RequestCount(); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
		})
	}
}

func TestGenerateJSONAcceptsNullForNullableAndIgnoresExtraProperties(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text(`{"intent":"spam","confidence":1,"spam":100,"language":"en","amount":null,"extra":"ignored"}`))
	var out decision
	if _, err := newClient(t, fake).GenerateJSON(context.Background(), ask("q"), decisionSchema(), &out); err != nil {
		t.Fatalf("GenerateJSON: %v", err)
	}
	if out.Intent != "spam" || out.Amount != nil || out.Spam != 100 {
		t.Errorf("decoded %+v", out)
	}
}
