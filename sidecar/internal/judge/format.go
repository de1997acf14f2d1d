package judge

import (
	"encoding/json"
	"fmt"
)

// FormatJSON renders d as indented JSON for the CLI (`sidecar judge --json "text"`):
//
//	{"intent": ..., "confidence": ..., "language": ..., "spam_score": ..., "facts": {...}, "reasons": [...], "mode": ...}
//
// facts is always an object ({} when empty). It fails when d holds a value JSON cannot encode (NaN).
func FormatJSON(d Decision) ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("judge: format decision: %w", err)
	}
	return b, nil
}
