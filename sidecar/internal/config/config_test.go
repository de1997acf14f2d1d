package config

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const testSecret = "super-secret-jwt-token-with-at-least-32-characters-long"

// minimal is the smallest valid environment for serve.
func minimal() map[string]string {
	return map[string]string{
		"DATABASE_URL":        "postgres://postgres:pw@127.0.0.1:54322/postgres?sslmode=disable",
		"SUPABASE_JWT_SECRET": testSecret,
	}
}

func with(kv ...string) map[string]string {
	m := minimal()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "<unset>" {
			delete(m, kv[i])
			continue
		}
		m[kv[i]] = kv[i+1]
	}
	return m
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(MapLookup(minimal()))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"HTTPAddr", c.HTTPAddr, ":8080"},
		{"LogLevel", c.LogLevel, slog.LevelInfo},
		{"LogFormat", c.LogFormat, "json"},
		{"RateLimitPerMinute", c.RateLimitPerMinute, 60},
		{"RateLimitBurst", c.RateLimitBurst, 10},
		{"BodyLimit", c.BodyLimit, int64(1 << 20)},
		{"ShutdownTimeout", c.ShutdownTimeout, 20 * time.Second},
		{"DBConnectTimeout", c.DBConnectTimeout, 10 * time.Second},
		{"TrustedProxies", len(c.TrustedProxies), 0},
		{"CORSAllowedOrigins", len(c.CORSAllowedOrigins), 0},
		{"SupabaseURL", c.SupabaseURL, ""},
		{"JWKSURL", c.JWKSURL(), ""},
		{"JWTIssuer", c.JWTIssuer, ""},
		{"Gemini.Enabled", c.Gemini.Enabled, false},
		{"Gemini.Missing", c.Gemini.Missing, []string{"GEMINI_API_KEY"}},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadParsesValues(t *testing.T) {
	c, err := Load(MapLookup(with(
		"HTTP_ADDR", "127.0.0.1:9090",
		"LOG_LEVEL", "DEBUG",
		"LOG_FORMAT", "Text",
		"SUPABASE_URL", "https://abc.supabase.co/",
		"SUPABASE_JWT_SECRET", "<unset>",
		"SUPABASE_JWT_ISSUER", "https://abc.supabase.co/auth/v1",
		"TRUSTED_PROXIES", " 10.0.0.0/8, 192.168.1.7 ,2001:db8::/32,",
		"CORS_ALLOWED_ORIGINS", "https://App.example.com/, http://localhost:3000",
		"RATE_LIMIT_PER_MINUTE", "120",
		"RATE_LIMIT_BURST", "30",
		"BODY_LIMIT", "512KB",
		"SHUTDOWN_TIMEOUT", "1m30s",
		"DATABASE_CONNECT_TIMEOUT", "3s",
		"GEMINI_API_KEY", "k",
	)))
	if err != nil {
		t.Fatal(err)
	}
	wantProxies := []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("192.168.1.7/32"),
		netip.MustParsePrefix("2001:db8::/32"),
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"HTTPAddr", c.HTTPAddr, "127.0.0.1:9090"},
		{"LogLevel", c.LogLevel, slog.LevelDebug},
		{"LogFormat", c.LogFormat, "text"},
		{"SupabaseURL", c.SupabaseURL, "https://abc.supabase.co"},
		{"JWKSURL", c.JWKSURL(), "https://abc.supabase.co/auth/v1/.well-known/jwks.json"},
		{"JWTSecret", c.JWTSecret, ""},
		{"JWTIssuer", c.JWTIssuer, "https://abc.supabase.co/auth/v1"},
		{"TrustedProxies", c.TrustedProxies, wantProxies},
		{"CORSAllowedOrigins", c.CORSAllowedOrigins, []string{"https://app.example.com", "http://localhost:3000"}},
		{"RateLimitPerMinute", c.RateLimitPerMinute, 120},
		{"RateLimitBurst", c.RateLimitBurst, 30},
		{"BodyLimit", c.BodyLimit, int64(512 << 10)},
		{"ShutdownTimeout", c.ShutdownTimeout, 90 * time.Second},
		{"DBConnectTimeout", c.DBConnectTimeout, 3 * time.Second},
		{"Gemini.Enabled", c.Gemini.Enabled, true},
		{"Gemini.APIKey", c.Gemini.APIKey, "k"},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadValidation(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // substring of the single problem
	}{
		{"database url missing", with("DATABASE_URL", "<unset>"), "DATABASE_URL is required"},
		{"database url blank", with("DATABASE_URL", "   "), "DATABASE_URL is required"},
		{"database url malformed", with("DATABASE_URL", "postgres://u:hunter2@host:notaport/db"), "DATABASE_URL:"},
		{"no jwt verification", with("SUPABASE_JWT_SECRET", "<unset>"), "SUPABASE_JWT_SECRET or SUPABASE_URL is required"},
		{"short secret", with("SUPABASE_JWT_SECRET", "short"), "SUPABASE_JWT_SECRET is too short"},
		{"supabase url scheme", with("SUPABASE_URL", "ftp://x"), "SUPABASE_URL"},
		{"supabase url no host", with("SUPABASE_URL", "https://"), "has no host"},
		{"supabase url query", with("SUPABASE_URL", "https://x.supabase.co?a=b"), "plain base URL"},
		{"http addr", with("HTTP_ADDR", "8080"), "HTTP_ADDR"},
		{"log level", with("LOG_LEVEL", "loud"), "LOG_LEVEL"},
		{"log format", with("LOG_FORMAT", "xml"), "LOG_FORMAT=\"xml\": must be one of json, text"},
		{"trusted proxies", with("TRUSTED_PROXIES", "10.0.0.0/8,not-an-ip"), `TRUSTED_PROXIES: "not-an-ip"`},
		{"cors wildcard", with("CORS_ALLOWED_ORIGINS", "*"), "CORS_ALLOWED_ORIGINS"},
		{"cors path", with("CORS_ALLOWED_ORIGINS", "https://a.example.com/app"), "scheme://host[:port] only"},
		{"rate not int", with("RATE_LIMIT_PER_MINUTE", "lots"), "RATE_LIMIT_PER_MINUTE=\"lots\": not an integer"},
		{"rate zero", with("RATE_LIMIT_PER_MINUTE", "0"), "RATE_LIMIT_PER_MINUTE=0: must be between 1"},
		{"burst negative", with("RATE_LIMIT_BURST", "-1"), "RATE_LIMIT_BURST=-1"},
		{"body unit", with("BODY_LIMIT", "1TB"), "unknown unit"},
		{"body too small", with("BODY_LIMIT", "10"), "BODY_LIMIT=\"10\": must be between"},
		{"body garbage", with("BODY_LIMIT", "big"), "not a size"},
		{"shutdown unit", with("SHUTDOWN_TIMEOUT", "20"), "SHUTDOWN_TIMEOUT=\"20\": not a duration"},
		{"shutdown range", with("SHUTDOWN_TIMEOUT", "1h"), "must be between 1s and 10m0s"},
		{"require gemini", with("REQUIRE_GEMINI", "true"), "REQUIRE_GEMINI=true but GEMINI_API_KEY is not set"},
		{"require not bool", with("REQUIRE_GEMINI", "maybe"), "REQUIRE_GEMINI=\"maybe\": not a boolean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(MapLookup(tt.env))
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("Load() = %v, %v; want *Error", c, err)
			}
			if c != nil {
				t.Errorf("Load returned a config together with an error")
			}
			if len(cerr.Problems) != 1 || !strings.Contains(cerr.Problems[0], tt.want) {
				t.Errorf("problems = %q, want exactly one containing %q", cerr.Problems, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the database password: %v", err)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load(MapLookup(map[string]string{
		"HTTP_ADDR":             "nope",
		"RATE_LIMIT_PER_MINUTE": "x",
		"BODY_LIMIT":            "1TB",
	}))
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("err = %v", err)
	}
	if len(cerr.Problems) != 5 {
		t.Errorf("want 5 problems (database, jwt, addr, rate, body), got %d:\n%v", len(cerr.Problems), err)
	}
	msg := err.Error()
	for _, want := range []string{"invalid configuration (5 problems):", "\n  - DATABASE_URL is required", "\n  - HTTP_ADDR", "\n  - RATE_LIMIT_PER_MINUTE", "\n  - BODY_LIMIT", "SUPABASE_JWT_SECRET or SUPABASE_URL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"1048576", 1048576, false},
		{"1MB", 1 << 20, false},
		{"1m", 1 << 20, false},
		{"2MiB", 2 << 20, false},
		{"512 KB", 512 << 10, false},
		{"64k", 64 << 10, false},
		{"1G", 1 << 30, false},
		{"10B", 10, false},
		{"", 0, true},
		{"MB", 0, true},
		{"1.5MB", 0, true},
		{"-1", 0, true},
		{"9999999999999999999", 0, true},
		{"99999999999G", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseBytes(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestEnvBool(t *testing.T) {
	for in, want := range map[string]bool{"1": true, "TRUE": true, "yes": true, "on": true, "0": false, "False": false, "no": false, "off": false} {
		env := NewEnv(MapLookup(map[string]string{"B": in}))
		if got := env.Bool("B", !want); got != want || env.Err() != nil {
			t.Errorf("Bool(%q) = %v (err %v), want %v", in, got, env.Err(), want)
		}
	}
	env := NewEnv(MapLookup(nil))
	if !env.Bool("B", true) || env.Err() != nil {
		t.Errorf("unset bool: default not applied")
	}
}

func TestIntegration(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		wantEnabled bool
		wantMissing []string
		wantProblem bool
	}{
		{"all set", map[string]string{"X_KEY": "k", "X_HOOK": "h"}, true, nil, false},
		{"all set and required", map[string]string{"X_KEY": "k", "X_HOOK": "h", "REQUIRE_X": "true"}, true, nil, false},
		{"none set", nil, false, []string{"X_KEY", "X_HOOK"}, false},
		{"partly set", map[string]string{"X_KEY": "k"}, false, []string{"X_HOOK"}, false},
		{"blank counts as unset", map[string]string{"X_KEY": "k", "X_HOOK": " "}, false, []string{"X_HOOK"}, false},
		{"required and missing", map[string]string{"REQUIRE_X": "1", "X_KEY": "k"}, false, []string{"X_HOOK"}, true},
		{"explicitly not required", map[string]string{"REQUIRE_X": "false"}, false, []string{"X_KEY", "X_HOOK"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := NewEnv(MapLookup(tt.env))
			in := env.Integration("X", "X_KEY", "X_HOOK")
			if in.Name != "x" || in.Enabled != tt.wantEnabled || !reflect.DeepEqual(in.Missing, tt.wantMissing) {
				t.Errorf("got %+v, want enabled=%v missing=%v", in, tt.wantEnabled, tt.wantMissing)
			}
			if (env.Err() != nil) != tt.wantProblem {
				t.Errorf("Err() = %v, want problem %v", env.Err(), tt.wantProblem)
			}
		})
	}
}

func TestIntegrationLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	Integration{Name: "stripe", Missing: []string{"STRIPE_SECRET_KEY"}}.Log(context.Background(), log)
	Integration{Name: "gemini", Enabled: true}.Log(context.Background(), log)
	out := buf.String()
	for _, want := range []string{`"level":"WARN"`, `"integration":"stripe"`, `"missing":["STRIPE_SECRET_KEY"]`, "REQUIRE_STRIPE=true", `"level":"INFO","msg":"integration enabled","integration":"gemini"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestLogValueHasNoSecrets(t *testing.T) {
	c, err := Load(MapLookup(with("GEMINI_API_KEY", "gemini-secret-value", "TRUSTED_PROXIES", "10.0.0.0/8")))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("start", "config", c)
	out := buf.String()
	for _, secret := range []string{testSecret, "gemini-secret-value", ":pw@"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line leaks %q: %s", secret, out)
		}
	}
	for _, want := range []string{`"jwt_secret_set":true`, `"gemini":{"enabled":true}`, `"trusted_proxies":["10.0.0.0/8"]`, `127.0.0.1:54322/postgres`, `"http_addr":":8080"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log line lacks %q: %s", want, out)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"": "",
		"postgres://u:secret@h:5432/db?sslmode=require":    "postgres://u:xxxxx@h:5432/db?sslmode=require",
		"postgres://u@h/db":                                "postgres://u@h/db",
		"postgres://h/db?password=secret":                  "postgres://h/db?password=xxxxx",
		"host=h port=5432 user=u password=secret dbname=d": "host=h port=5432 user=u dbname=d",
		"postgres://u:p@h:bad:port/%zz":                    "(unparseable)",
	}
	for in, want := range tests {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every variable Load reads is documented in .env.example (as NAME=...).
func TestEveryVariableIsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if name, _, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(name, "#") {
			documented[name] = true
		}
	}
	read := map[string]bool{}
	env := minimal()
	_, _ = Load(func(k string) (string, bool) {
		read[k] = true
		v, ok := env[k]
		return v, ok
	})
	if len(read) < 15 {
		t.Fatalf("Load read only %d variables: %v", len(read), read)
	}
	for name := range read {
		if !documented[name] {
			t.Errorf("%s is read by config.Load but not documented in .env.example", name)
		}
	}
}
