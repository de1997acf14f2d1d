package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zerobullshit/backend/sidecar/internal/judge"
	"github.com/zerobullshit/backend/sidecar/internal/llm"
)

func TestGeminiDefaults(t *testing.T) {
	c, err := Load(MapLookup(with("GEMINI_API_KEY", "k")))
	if err != nil {
		t.Fatal(err)
	}
	g := c.Gemini
	if g.Model != llm.DefaultModel || g.JudgeModel != llm.DefaultFastModel || g.BaseURL != "" ||
		g.Timeout != llm.DefaultTimeout || g.JudgeTimeout != judge.DefaultGeminiTimeout || g.MaxRetries != llm.DefaultMaxRetries {
		t.Errorf("defaults = %+v", g)
	}
	lc := g.LLMConfig()
	if lc.APIKey != "k" || lc.Model != llm.DefaultModel || lc.MaxRetries != llm.DefaultMaxRetries || lc.Timeout != llm.DefaultTimeout {
		t.Errorf("LLMConfig = %+v", lc)
	}
	if o := g.JudgeOptions(); o.Model != llm.DefaultFastModel || o.Timeout != judge.DefaultGeminiTimeout {
		t.Errorf("JudgeOptions = %+v", o)
	}
}

func TestGeminiParses(t *testing.T) {
	c, err := Load(MapLookup(with(
		"GEMINI_API_KEY", "k",
		"GEMINI_MODEL", "models/gemini-3.8-flash",
		"GEMINI_JUDGE_MODEL", "gemini-3.1-flash-lite",
		"GEMINI_BASE_URL", "http://127.0.0.1:9999/",
		"GEMINI_TIMEOUT", "12s",
		"GEMINI_JUDGE_TIMEOUT", "4s",
		"GEMINI_MAX_RETRIES", "0",
	)))
	if err != nil {
		t.Fatal(err)
	}
	g := c.Gemini
	if g.Model != "models/gemini-3.8-flash" || g.JudgeModel != "gemini-3.1-flash-lite" || g.BaseURL != "http://127.0.0.1:9999" ||
		g.Timeout != 12*time.Second || g.JudgeTimeout != 4*time.Second || g.MaxRetries != 0 {
		t.Errorf("parsed = %+v", g)
	}
	if lc := g.LLMConfig(); lc.MaxRetries >= 0 || lc.BaseURL != "http://127.0.0.1:9999" {
		t.Errorf("GEMINI_MAX_RETRIES=0 must disable retries in llm.Config: %+v", lc)
	}
	if _, err := llm.New(t.Context(), g.LLMConfig()); err != nil {
		t.Errorf("llm.New rejects the config: %v", err)
	}
}

func TestGeminiValidation(t *testing.T) {
	for _, kv := range [][2]string{
		{"GEMINI_MODEL", "gemini/../../admin"},
		{"GEMINI_JUDGE_MODEL", "flash lite"},
		{"GEMINI_BASE_URL", "ftp://example.com"},
		{"GEMINI_BASE_URL", "http://example.com/?key=1"},
		{"GEMINI_TIMEOUT", "0s"},
		{"GEMINI_TIMEOUT", "soon"},
		{"GEMINI_JUDGE_TIMEOUT", "1h"},
		{"GEMINI_MAX_RETRIES", "-1"},
		{"GEMINI_MAX_RETRIES", "50"},
	} {
		_, err := Load(MapLookup(with(kv[0], kv[1])))
		if err == nil || !strings.Contains(err.Error(), kv[0]) {
			t.Errorf("%s=%q: err = %v, want a problem naming it", kv[0], kv[1], err)
		}
	}
}

// The Gemini and moderation variables sit in .env.example's "Optional integrations" section.
func TestGeminiAndModerationDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		"GEMINI_MODEL", "GEMINI_JUDGE_MODEL", "GEMINI_BASE_URL", "GEMINI_TIMEOUT", "GEMINI_JUDGE_TIMEOUT",
		"GEMINI_MAX_RETRIES", "SPAM_THROTTLE_ENABLED", "SPAM_BAN_ENABLED", "SUPABASE_SERVICE_ROLE_KEY", "SPAM_BAN_TIMEOUT",
	} {
		if !strings.Contains(string(doc), "\n"+name+"=") {
			t.Errorf("%s is not documented in .env.example", name)
		}
	}
}
