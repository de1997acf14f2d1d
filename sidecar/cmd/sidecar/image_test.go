package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// This machine has no container engine, so the Dockerfile cannot be built here. TestDockerfileBuild
// checks what the image depends on instead: it runs the Dockerfile's own build script (its ENV and
// the RUN that calls go build, cache mounts aside) and then the binary the way the distroless
// static image runs it: a static executable, alone in an empty root file system, as the image's
// nonroot user (uid 65532), with no environment.

const dockerfilePath = "../../../Dockerfile"

// dockerfile is the parsed Dockerfile: its instructions with continuation lines joined.
type dockerfile struct {
	instructions []string
}

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	f, err := os.Open(dockerfilePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var d dockerfile
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if rest, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(rest)
			cur.WriteString(" ")
			continue
		}
		cur.WriteString(line)
		d.instructions = append(d.instructions, cur.String())
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return d
}

// stage returns the instructions of the stage that starts with a FROM matching from.
func (d dockerfile) stage(t *testing.T, from *regexp.Regexp) []string {
	t.Helper()
	start := slices.IndexFunc(d.instructions, func(s string) bool { return from.MatchString(s) })
	if start < 0 {
		t.Fatalf("Dockerfile: no stage FROM %s", from)
	}
	end := len(d.instructions)
	for i := start + 1; i < len(d.instructions); i++ {
		if strings.HasPrefix(d.instructions[i], "FROM ") {
			end = i
			break
		}
	}
	return d.instructions[start:end]
}

var mountFlag = regexp.MustCompile(`--mount=\S+\s*`)

func TestDockerfileBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sidecar binary")
	}
	d := readDockerfile(t)

	// The final image: distroless static, nonroot, running the sidecar binary's serve command.
	final := d.stage(t, regexp.MustCompile(`^FROM gcr\.io/distroless/static-debian12:nonroot$`))
	for _, want := range []string{
		"COPY --from=build /out/sidecar /usr/local/bin/sidecar",
		"USER nonroot:nonroot",
		`ENTRYPOINT ["/usr/local/bin/sidecar"]`,
		`CMD ["serve"]`,
	} {
		if !slices.Contains(final, want) {
			t.Errorf("Dockerfile final stage lacks %q", want)
		}
	}

	// The build stage's environment and its go build script, run from the repository root.
	build := d.stage(t, regexp.MustCompile(`^FROM golang:\S+ AS build$`))
	env := append(os.Environ(), "VERSION=imagetest")
	var script string
	for _, in := range build {
		if rest, ok := strings.CutPrefix(in, "ENV "); ok {
			env = append(env, strings.Fields(rest)...)
		}
		if rest, ok := strings.CutPrefix(in, "RUN "); ok && strings.Contains(rest, "go build") {
			script = mountFlag.ReplaceAllString(rest, "")
		}
	}
	if !slices.Contains(env, "CGO_ENABLED=0") {
		t.Fatal("Dockerfile build stage does not set CGO_ENABLED=0: the binary would need a C library distroless static lacks")
	}
	if script == "" || !strings.Contains(script, "-o /out/sidecar ./sidecar/cmd/sidecar") {
		t.Fatalf("Dockerfile: no RUN building ./sidecar/cmd/sidecar into /out/sidecar (got %q)", script)
	}
	out := t.TempDir()
	bin := filepath.Join(out, "sidecar")
	script = strings.Replace(script, "-o /out/sidecar", "-o "+bin, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Dir = "../../.."
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the Dockerfile's build script failed: %v\n%s", err, b)
	}
	if fi, err := os.Stat(bin); err != nil {
		t.Fatal(err)
	} else {
		t.Logf("sidecar binary: %.1f MiB (the image adds distroless static, about 2 MiB)", float64(fi.Size())/(1<<20))
	}

	// Static: no program interpreter and no shared libraries.
	ef, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	libs, err := ef.ImportedLibraries()
	interp := slices.ContainsFunc(ef.Progs, func(p *elf.Prog) bool { return p.Type == elf.PT_INTERP })
	ef.Close()
	if err != nil || len(libs) > 0 || interp {
		t.Fatalf("the binary is not static: libraries %v, interpreter %v (%v)", libs, interp, err)
	}

	newest := newestMigration(t)
	if os.Geteuid() != 0 {
		t.Logf("not root: the binary was not run in an empty root (needs chroot); built and static: ok")
		return
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "usr/local/bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "usr/local/bin/sidecar"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	inImage := func(args ...string) (string, error) {
		c := exec.CommandContext(ctx, "/usr/local/bin/sidecar", args...)
		c.Env = []string{}
		c.Dir = "/"
		c.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: 65532, Gid: 65532}}
		var stdout, stderr bytes.Buffer
		c.Stdout, c.Stderr = &stdout, &stderr
		err := c.Run()
		return stdout.String(), errorWith(err, stderr.String())
	}
	got, err := inImage("version")
	if err != nil {
		t.Fatalf("sidecar version in an empty root: %v", err)
	}
	if want := "sidecar imagetest (migration " + newest + ")\n"; got != want {
		t.Errorf("sidecar version = %q, want %q: the build stamps the version and the newest migration", got, want)
	}
	got, err = inImage("judge", "--json", "busco inversores seed para mi fintech en Madrid")
	if err != nil {
		t.Fatalf("sidecar judge in an empty root: %v", err)
	}
	var dec struct {
		Intent   string `json:"intent"`
		Language string `json:"language"`
	}
	if err := json.Unmarshal([]byte(got), &dec); err != nil || dec.Intent != "search_investors" || dec.Language != "es" {
		t.Errorf("sidecar judge in an empty root: %q (%v), want intent search_investors, language es", got, err)
	}
	// serve without configuration fails fast with a clear message, not a crash.
	if _, err := inImage("serve"); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("sidecar serve without configuration: %v, want a failure naming DATABASE_URL", err)
	}
}

func errorWith(err error, stderr string) error {
	if err == nil {
		return nil
	}
	return &runError{err: err, stderr: strings.TrimSpace(stderr)}
}

type runError struct {
	err    error
	stderr string
}

func (e *runError) Error() string { return e.err.Error() + ": " + e.stderr }

// newestMigration is the version the Dockerfile computes: the largest numeric prefix of the
// supabase/migrations/*.sql file names.
func newestMigration(t *testing.T) string {
	t.Helper()
	entries, err := os.ReadDir("../../../supabase/migrations")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^([0-9]+)_.*\.sql$`)
	var newest string
	for _, e := range entries {
		if m := re.FindStringSubmatch(e.Name()); m != nil && m[1] > newest {
			newest = m[1]
		}
	}
	if newest == "" {
		t.Fatal("no migrations")
	}
	return newest
}

func TestVersionCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &out, &errOut); code != exitOK || out.String() != "sidecar dev (migration unset)\n" {
		t.Errorf("sidecar version: exit %d, %q %q", code, out.String(), errOut.String())
	}
}
