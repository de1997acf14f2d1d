package localstack

import (
	"strings"
	"unicode/utf8"
)

// statement is one SQL statement of a script.
type statement struct {
	Text string // the statement without its terminating semicolon, trimmed
	Line int    // 1-based line of its first token
}

// splitStatements splits a SQL script on top-level semicolons. It understands -- and nested /* */
// comments, '...' and E'...' strings, "..." identifiers, $tag$...$tag$ bodies and BEGIN ATOMIC ... END
// function bodies. Statements that are only comments are dropped. It is used to record migrations the
// way the Supabase CLI does and to locate a failing statement; the script itself is always executed
// whole, by the server's own parser.
func splitStatements(sql string) []statement {
	var (
		out       []statement
		start     = 0  // byte offset where the current statement begins
		first     = -1 // byte offset of its first token
		line      = 1
		firstLine = 0
		atomic    = 0 // BEGIN ATOMIC nesting depth
		prevWord  string
		n         = len(sql)
		isIdent   = func(b byte) bool { return b == '_' || b == '$' || b >= '0' && b <= '9' || isLetter(b) }
		markFirst = func(i int) {
			if first < 0 {
				first, firstLine = i, line
			}
		}
		countLines = func(from, to int) {
			line += strings.Count(sql[from:to], "\n")
		}
	)
	flush := func(end int) {
		if first >= 0 {
			out = append(out, statement{Text: strings.TrimSpace(sql[start:end]), Line: firstLine})
		}
		start, first, atomic, prevWord = end+1, -1, 0, ""
	}
	for i := 0; i < n; {
		ch := sql[i]
		switch {
		case ch == '\n':
			line++
			i++
		case ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f':
			i++
		case ch == '-' && i+1 < n && sql[i+1] == '-':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				i = n
			} else {
				i += j
			}
		case ch == '/' && i+1 < n && sql[i+1] == '*':
			depth, j := 1, i+2
			for j < n && depth > 0 {
				switch {
				case sql[j] == '/' && j+1 < n && sql[j+1] == '*':
					depth++
					j += 2
				case sql[j] == '*' && j+1 < n && sql[j+1] == '/':
					depth--
					j += 2
				default:
					j++
				}
			}
			countLines(i, j)
			i = j
		case ch == '\'':
			markFirst(i)
			escapes := i > 0 && (sql[i-1] == 'e' || sql[i-1] == 'E') && (i < 2 || !isIdent(sql[i-2]))
			j := quotedEnd(sql, i, '\'', escapes)
			countLines(i, j)
			i = j
		case ch == '"':
			markFirst(i)
			j := quotedEnd(sql, i, '"', false)
			countLines(i, j)
			i = j
		case ch == '$' && (i == 0 || !isIdent(sql[i-1])):
			markFirst(i)
			k := i + 1
			for k < n && (sql[k] == '_' || isLetter(sql[k]) || (k > i+1 && sql[k] >= '0' && sql[k] <= '9')) {
				k++
			}
			if k < n && sql[k] == '$' {
				tag := sql[i : k+1]
				end := strings.Index(sql[k+1:], tag)
				j := n
				if end >= 0 {
					j = k + 1 + end + len(tag)
				}
				countLines(i, j)
				i = j
			} else {
				i = k // $1 and the like
			}
		case ch == ';':
			if atomic > 0 {
				i++
				continue
			}
			flush(i)
			i++
		case isLetter(ch) || ch == '_':
			markFirst(i)
			j := i
			for j < n && isIdent(sql[j]) {
				j++
			}
			w := strings.ToLower(sql[i:j])
			switch {
			case w == "atomic" && prevWord == "begin":
				atomic++
			case w == "case" && atomic > 0:
				atomic++
			case w == "end" && atomic > 0:
				atomic--
			}
			prevWord = w
			i = j
		default:
			if ch >= utf8.RuneSelf {
				_, size := utf8.DecodeRuneInString(sql[i:])
				markFirst(i)
				i += size
				continue
			}
			markFirst(i)
			i++
		}
	}
	flush(n)
	return out
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= utf8.RuneSelf }

// lineAt returns the 1-based line number and the text of the line holding the pos-th character
// (1-based, in characters as PostgreSQL counts them) of sql.
func lineAt(sql string, pos int) (int, string) {
	if pos < 1 {
		return 0, ""
	}
	off, count := len(sql), 0
	for i := range sql {
		count++
		if count == pos {
			off = i
			break
		}
	}
	lineNo := strings.Count(sql[:off], "\n") + 1
	begin := strings.LastIndexByte(sql[:off], '\n') + 1
	end := strings.IndexByte(sql[off:], '\n')
	if end < 0 {
		end = len(sql)
	} else {
		end += off
	}
	return lineNo, sql[begin:end]
}

// quotedEnd returns the index just past the quoted token that starts at sql[start] (a ' string or a "
// identifier): a doubled quote stands for itself, and in E'...' strings a backslash escapes the next byte.
func quotedEnd(sql string, start int, quote byte, backslashEscapes bool) int {
	n := len(sql)
	j := start + 1
	for j < n {
		if backslashEscapes && sql[j] == '\\' {
			j += 2
			continue
		}
		if sql[j] == quote {
			if j+1 < n && sql[j+1] == quote {
				j += 2
				continue
			}
			break
		}
		j++
	}
	return min(j+1, n)
}
