package config

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })

	if got := TuneGC(MapLookup(nil)); got != DefaultGCPercent {
		t.Errorf("TuneGC without GOGC = %d, want %d", got, DefaultGCPercent)
	}
	if p := debug.SetGCPercent(100); p != DefaultGCPercent {
		t.Errorf("GC percent in effect = %d, want %d", p, DefaultGCPercent)
	}

	// An explicit GOGC is the operator's choice: reported, and the runtime's setting is left alone.
	for v, want := range map[string]int{"off": -1, "OFF": -1, "250": 250, " 50 ": 50, "junk": 100} {
		debug.SetGCPercent(77)
		if got := TuneGC(MapLookup(map[string]string{"GOGC": v})); got != want {
			t.Errorf("TuneGC(GOGC=%q) = %d, want %d", v, got, want)
		}
		if p := debug.SetGCPercent(100); p != 77 {
			t.Errorf("TuneGC(GOGC=%q) changed the GC percent to %d", v, p)
		}
	}
	if got := TuneGC(MapLookup(map[string]string{"GOGC": "  "})); got != DefaultGCPercent {
		t.Errorf("TuneGC(GOGC blank) = %d, want the default", got)
	}
}
