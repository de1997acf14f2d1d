package localstack

import (
	"reflect"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	sql := `-- leading comment; with a semicolon
create table a (x text default 'it''s; fine');
/* block; /* nested; */ still comment */
create function f() returns text language plpgsql as $fn$
begin
  return 'a;b';
end $fn$;
select E'\'; still string', "odd;name", $1;
create function g() returns int language sql
begin atomic
  select case when true then 1 else 2 end;
  select 3;
end;
-- trailing comment only`
	var got []int
	var texts []string
	for _, s := range splitStatements(sql) {
		got = append(got, s.Line)
		texts = append(texts, s.Text[:10])
	}
	if want := []int{2, 4, 8, 9}; !reflect.DeepEqual(got, want) {
		t.Fatalf("lines %v, want %v (%q)", got, want, texts)
	}
	if want := []string{"-- leading", "/* block; ", "select E'\\", "create fun"}; texts[0] != want[0] || texts[2] != want[2] || texts[3] != want[3] {
		t.Fatalf("texts %q", texts)
	}
}

func TestLineAt(t *testing.T) {
	sql := "ab\ncdé\nfg"
	if l, text := lineAt(sql, 6); l != 2 || text != "cdé" {
		t.Fatalf("got %d %q", l, text)
	}
	if l, text := lineAt(sql, 8); l != 3 || text != "fg" {
		t.Fatalf("got %d %q", l, text)
	}
}
