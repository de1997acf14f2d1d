package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// Rejection is a row that was not written, and why.
type Rejection struct {
	Line   int      `json:"line"`
	Column string   `json:"column,omitempty"`
	Reason string   `json:"reason"`
	Record []string `json:"-"` // the row as read, for the rejected-rows file
}

func (r Rejection) String() string {
	if r.Column == "" {
		return fmt.Sprintf("line %d: %s", r.Line, r.Reason)
	}
	return fmt.Sprintf("line %d: %s: %s", r.Line, r.Column, r.Reason)
}

// Warning is something dropped from a row that was still written (Options.Lenient).
type Warning struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func (w Warning) String() string {
	if w.Column == "" {
		return fmt.Sprintf("line %d: %s", w.Line, w.Message)
	}
	return fmt.Sprintf("line %d: %s: %s", w.Line, w.Column, w.Message)
}

// Report is the outcome of importing one file. Read = Inserted + Updated + Unchanged + Rejected.
type Report struct {
	File           string      `json:"file"`
	Kind           Kind        `json:"kind"`
	Read           int         `json:"read"`
	Inserted       int         `json:"inserted"`
	Updated        int         `json:"updated"`
	Unchanged      int         `json:"unchanged"`
	Rejected       int         `json:"rejected"`
	Rejections     []Rejection `json:"rejections"`
	Warnings       []Warning   `json:"warnings,omitempty"`
	IgnoredColumns []string    `json:"ignored_columns,omitempty"`
	RejectedFile   string      `json:"rejected_file,omitempty"`
}

func (r *Report) reject(rej Rejection) {
	r.Rejected++
	r.Rejections = append(r.Rejections, rej)
}

// Summary is the one-line count.
func (r *Report) Summary() string {
	return fmt.Sprintf("%s (%s): %d read, %d inserted, %d updated, %d unchanged, %d rejected",
		r.File, r.Kind, r.Read, r.Inserted, r.Updated, r.Unchanged, r.Rejected)
}

// Text renders the report for people: the summary, then every rejection and warning.
func (r *Report) Text() string {
	var b strings.Builder
	b.WriteString(r.Summary() + "\n")
	if len(r.IgnoredColumns) > 0 {
		b.WriteString("  ignored columns: " + strings.Join(r.IgnoredColumns, ", ") + "\n")
	}
	if len(r.Rejections) > 0 {
		b.WriteString("rejected:\n")
		for _, rej := range r.Rejections {
			b.WriteString("  " + rej.String() + "\n")
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString("warnings:\n")
		for _, w := range r.Warnings {
			b.WriteString("  " + w.String() + "\n")
		}
	}
	if r.RejectedFile != "" {
		b.WriteString("rejected rows written to " + r.RejectedFile + "\n")
	}
	return b.String()
}

// DefaultRejectedPath is where rejected rows of path go by default: <path>.rejected.csv.
func DefaultRejectedPath(path string) string { return path + ".rejected.csv" }

// writeRejected writes the rejected rows as they were read, with a trailing reason column.
func writeRejected(w io.Writer, hdr []string, rejections []Rejection) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string{}, hdr...), "reason")); err != nil {
		return err
	}
	for _, rej := range rejections {
		rec := make([]string, len(hdr), len(hdr)+1)
		copy(rec, rej.Record)
		reason := rej.Reason
		if rej.Column != "" {
			reason = rej.Column + ": " + reason
		}
		if err := cw.Write(append(rec, fmt.Sprintf("line %d: %s", rej.Line, reason))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
