package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// openCSV skips a UTF-8 BOM, picks ',' or ';' from the header line and returns a lenient reader.
func openCSV(r io.Reader) (*csv.Reader, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	first, err := br.Peek(br.Size()) // the whole file when it is small, else its first 64 KiB
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("importer: read header: %w", err)
	}
	line, _, _ := bytes.Cut(first, []byte{'\n'})
	cr := csv.NewReader(br)
	if bytes.Count(line, []byte{';'}) > bytes.Count(line, []byte{','}) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return cr, nil
}

// normHeader makes header names comparable: lower case, no accents, no '_', '-', '.', or spaces.
func normHeader(h string) string {
	h = fold(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', ' ', '\t':
			return -1
		}
		return r
	}, h)
}

// header maps a file's columns to fields.
type header struct {
	names   []string
	index   map[field]int
	ignored []string // columns the importer does not use
}

func readHeader(kind Kind, names []string) (*header, error) {
	h := &header{names: names, index: map[field]int{}}
	aliases := headerAliases[kind]
	for i, n := range names {
		f, ok := aliases[normHeader(n)]
		if !ok {
			if strings.TrimSpace(n) != "" {
				h.ignored = append(h.ignored, n)
			}
			continue
		}
		if _, dup := h.index[f]; dup {
			h.ignored = append(h.ignored, n)
			continue
		}
		h.index[f] = i
	}
	var missing []string
	for _, f := range requiredFields[kind] {
		if _, ok := h.index[f]; !ok {
			missing = append(missing, fieldNames[f])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("importer: %s file has no %s column", kind, strings.Join(missing, ", "))
	}
	return h, nil
}

func (h *header) has(f field) bool { _, ok := h.index[f]; return ok }

// hasAny reports whether any of fs has a column.
func (h *header) hasAny(fs []field) bool {
	for _, f := range fs {
		if h.has(f) {
			return true
		}
	}
	return false
}

// row is one data record with its line number.
type row struct {
	h    *header
	rec  []string
	line int
}

// raw returns the cell for f as written ("" when the column or cell is absent).
func (r *row) raw(f field) string {
	i, ok := r.h.index[f]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return r.rec[i]
}

// get returns the trimmed cell for f, "" when blank.
func (r *row) get(f field) string { return clean(r.raw(f)) }

// col is the file's own name for f's column, for messages.
func (r *row) col(f field) string {
	if i, ok := r.h.index[f]; ok {
		return strings.TrimPrefix(r.h.names[i], "\uFEFF")
	}
	return ""
}
