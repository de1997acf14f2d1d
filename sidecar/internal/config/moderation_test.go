package config

import (
	"strings"
	"testing"
	"time"
)

func TestModerationDefaults(t *testing.T) {
	c, err := Load(MapLookup(minimal()))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Moderation
	if !m.ThrottleEnabled || m.BanEnabled || m.AuthURL != "" || m.ServiceRoleKey != "" || m.BanTimeout != DefaultSpamBanTimeout {
		t.Errorf("defaults = %+v", m)
	}
}

func TestModerationBan(t *testing.T) {
	c, err := Load(MapLookup(with(
		"SPAM_BAN_ENABLED", "true",
		"SUPABASE_URL", "https://abc.supabase.co/",
		"SUPABASE_SERVICE_ROLE_KEY", "service-key",
		"SPAM_BAN_TIMEOUT", "3s",
	)))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Moderation
	if !m.BanEnabled || m.AuthURL != "https://abc.supabase.co/auth/v1" || m.ServiceRoleKey != "service-key" || m.BanTimeout != 3*time.Second {
		t.Errorf("parsed = %+v", m)
	}
	var b strings.Builder
	b.WriteString(m.LogValue().String())
	if strings.Contains(b.String(), "service-key") {
		t.Errorf("LogValue leaks the key: %s", b.String())
	}
}

func TestModerationBanNeedsSecrets(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"no key":      with("SPAM_BAN_ENABLED", "true", "SUPABASE_URL", "https://abc.supabase.co"),
		"no url":      with("SPAM_BAN_ENABLED", "true", "SUPABASE_SERVICE_ROLE_KEY", "k"),
		"no throttle": with("SPAM_BAN_ENABLED", "true", "SUPABASE_SERVICE_ROLE_KEY", "k", "SUPABASE_URL", "https://abc.supabase.co", "SPAM_THROTTLE_ENABLED", "false"),
		"bad bool":    with("SPAM_BAN_ENABLED", "maybe"),
	} {
		if _, err := Load(MapLookup(env)); err == nil || !strings.Contains(err.Error(), "SPAM_") {
			t.Errorf("%s: err = %v, want a SPAM_ problem", name, err)
		}
	}
}
