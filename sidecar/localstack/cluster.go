package localstack

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// DefaultBinDir holds initdb and pg_ctl when neither Options.BinDir nor $PG_BIN_DIR is set.
	DefaultBinDir = "/usr/lib/postgresql/15/bin"
	// AdminRole is the bootstrap superuser of every cluster (initdb -U supabase_admin).
	AdminRole = "supabase_admin"
	// osUserName is the OS user the server runs as when this process is root.
	osUserName = "postgres"
	// ephemeralPrefix names the temporary directories of ephemeral clusters.
	ephemeralPrefix = "zb-pg-"
	// ownerFile, in an ephemeral cluster's temporary directory, holds the PID of the process that owns it.
	ownerFile   = "owner.pid"
	logFileName = "postgres.log"

	// TestAdminURLEnv names the environment variable that points tests (pgtest, `localstack pgtap`) at a
	// running cluster: a supabase_admin URL. `localstack exec` sets it.
	TestAdminURLEnv = "ZB_TEST_ADMIN_URL"
)

// Options configures Start.
type Options struct {
	// Dir is the data directory. It is created (and initdb'd) when missing. With Ephemeral and an empty
	// Dir, a new temporary directory is used.
	Dir string
	// Port is the TCP port on 127.0.0.1. 0 picks a free port.
	Port int
	// BinDir holds initdb and pg_ctl. Default: $PG_BIN_DIR, else DefaultBinDir.
	BinDir string
	// Ephemeral marks a throw-away cluster (tests): no fsync, stopped with "-m immediate", and its
	// temporary directory is removed by Stop. Leftovers of ephemeral clusters whose owning process died
	// are removed by the next ephemeral Start.
	Ephemeral bool
	// TempDir is where an ephemeral cluster's directory (and the initdb cache) goes. Default:
	// $ZB_PG_TMPDIR, else /dev/shm when it is a tmpfs with at least 1 GiB free (clones of the template
	// take ~45 ms there instead of ~150 ms on disk), else os.TempDir().
	TempDir string
	// Logger receives progress messages. Default: slog.Default().
	Logger *slog.Logger
}

// Cluster is a running PostgreSQL cluster: one started by Start, or an existing one opened with Attach.
type Cluster struct {
	// Dir is the data directory ("" for an attached cluster).
	Dir string
	// Host is always 127.0.0.1 for clusters started here.
	Host string
	// Port is the TCP port the server listens on.
	Port int
	// BinDir holds the server binaries ("" for an attached cluster).
	BinDir string
	// Reused is true when Start found the cluster already running and did not start it.
	Reused bool

	ephemeral bool
	attached  bool
	tmpRoot   string
	tempDir   string
	cred      *syscall.Credential
	log       *slog.Logger
}

// Status describes a data directory, as seen by Inspect.
type Status struct {
	Dir         string
	Initialized bool // PG_VERSION exists
	Running     bool // the postmaster named in postmaster.pid is alive and answers
	PID         int
	Port        int
}

func (o *Options) defaults() {
	if o.BinDir == "" {
		o.BinDir = os.Getenv("PG_BIN_DIR")
	}
	if o.BinDir == "" {
		o.BinDir = DefaultBinDir
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.TempDir == "" {
		o.TempDir = os.Getenv("ZB_PG_TMPDIR")
	}
	if o.TempDir == "" {
		o.TempDir = os.TempDir()
		const tmpfsMagic = 0x01021994
		var st syscall.Statfs_t
		if err := syscall.Statfs("/dev/shm", &st); err == nil && st.Type == tmpfsMagic &&
			uint64(st.Bavail)*uint64(st.Bsize) >= 1<<30 && syscall.Access("/dev/shm", 2 /* W_OK */) == nil {
			o.TempDir = "/dev/shm"
		}
	}
}

// Start starts (and on first use creates) a cluster. If the data directory already has a live, answering
// postmaster, Start returns it with Reused set instead of starting a second one; a postmaster.pid left by a
// dead process is removed first.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	opts.defaults()
	c := &Cluster{Host: "127.0.0.1", BinDir: opts.BinDir, ephemeral: opts.Ephemeral, tempDir: opts.TempDir, log: opts.Logger}
	for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(opts.BinDir, b)); err != nil {
			return nil, fmt.Errorf("starting postgres: %s not found in %s (install postgresql-15 or set PG_BIN_DIR): %w", b, opts.BinDir, err)
		}
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	c.cred = cred

	if opts.Ephemeral && opts.Dir == "" {
		reapEphemeral(ctx, opts)
		root, err := os.MkdirTemp(opts.TempDir, ephemeralPrefix)
		if err != nil {
			return nil, fmt.Errorf("starting postgres: %w", err)
		}
		if err := os.WriteFile(filepath.Join(root, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			return nil, fmt.Errorf("starting postgres: %w", err)
		}
		if err := c.chown(root); err != nil {
			os.RemoveAll(root)
			return nil, fmt.Errorf("starting postgres: %w", err)
		}
		c.tmpRoot = root
		opts.Dir = filepath.Join(root, "data")
	}
	if opts.Dir == "" {
		return nil, errors.New("starting postgres: Options.Dir is empty")
	}
	if c.Dir, err = filepath.Abs(opts.Dir); err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	fail := func(err error) (*Cluster, error) {
		if c.tmpRoot != "" {
			os.RemoveAll(c.tmpRoot)
		}
		return nil, fmt.Errorf("starting postgres in %s: %w", c.Dir, err)
	}

	if err := c.checkReachable(); err != nil {
		return fail(err)
	}
	st, err := c.inspect(ctx)
	if err != nil {
		return fail(err)
	}
	if st.Running {
		if opts.Port != 0 && opts.Port != st.Port {
			return fail(fmt.Errorf("already running on port %d (pid %d), not on the requested port %d; stop it first", st.Port, st.PID, opts.Port))
		}
		c.Port, c.Reused = st.Port, true
		c.log.Info("postgres already running", "dir", c.Dir, "port", st.Port, "pid", st.PID)
		return c, nil
	}

	if !st.Initialized {
		if err := c.initdb(ctx); err != nil {
			return fail(err)
		}
	}

	for attempt := 0; ; attempt++ {
		port := opts.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				return fail(err)
			}
		} else if err := checkPortFree(port); err != nil {
			return fail(err)
		}
		c.Port = port
		err = c.pgctlStart(ctx)
		if err == nil {
			break
		}
		// A port picked at random may be grabbed by someone else before the server binds it.
		if opts.Port == 0 && attempt < 3 && strings.Contains(err.Error(), "could not bind") {
			c.log.Warn("port taken while starting, retrying with another", "port", port)
			continue
		}
		return fail(err)
	}
	return c, nil
}

// Attach opens an already running cluster from a supabase_admin connection URL (for example the one in
// $ZB_TEST_ADMIN_URL). Stop on an attached cluster does nothing. Every role is assumed to log in without
// a password (trust authentication), as in clusters started by Start.
func Attach(ctx context.Context, adminURL string, logger *slog.Logger) (*Cluster, error) {
	if logger == nil {
		logger = slog.Default()
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return nil, fmt.Errorf("attaching to %q: %w", adminURL, err)
	}
	port := 5432
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("attaching to %q: bad port: %w", adminURL, err)
		}
	}
	host := u.Hostname()
	if host == "" {
		host = "127.0.0.1"
	}
	c := &Cluster{Host: host, Port: port, attached: true, log: logger}
	conn, err := c.connect(ctx, AdminRole, "postgres")
	if err != nil {
		return nil, fmt.Errorf("attaching to %q: %w", adminURL, err)
	}
	conn.Close(ctx)
	return c, nil
}

// URL is the connection URL of role on database db (no password: trust authentication).
func (c *Cluster) URL(role, db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(role),
		Host:     net.JoinHostPort(c.Host, strconv.Itoa(c.Port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// AdminURL is the supabase_admin (superuser) URL of database db.
func (c *Cluster) AdminURL(db string) string { return c.URL(AdminRole, db) }

// Stop stops the cluster (pg_ctl stop -m fast; -m immediate for an ephemeral one) and removes an ephemeral
// cluster's directory. Stopping a cluster that is not running is not an error. Stop does nothing on an
// attached cluster.
func (c *Cluster) Stop(ctx context.Context) error {
	if c == nil || c.attached {
		return nil
	}
	mode := "fast"
	if c.ephemeral {
		mode = "immediate"
	}
	if _, err := c.pgctlStop(ctx, mode); err != nil {
		return err
	}
	if c.tmpRoot != "" {
		if err := os.RemoveAll(c.tmpRoot); err != nil {
			return fmt.Errorf("stopping postgres: removing %s: %w", c.tmpRoot, err)
		}
	}
	return nil
}

// Inspect reports whether the data directory in opts.Dir is initialized and running. Its only side effect
// is removing a stale postmaster.pid (one whose process is gone).
func Inspect(ctx context.Context, opts Options) (Status, error) {
	opts.defaults()
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return Status{}, err
	}
	c := &Cluster{Dir: dir, Host: "127.0.0.1", BinDir: opts.BinDir, log: opts.Logger}
	return c.inspect(ctx)
}

// StopDir stops the cluster of data directory opts.Dir (pg_ctl stop -m fast). It reports whether a server
// was running; stopping a directory that is not running or does not exist is not an error.
func StopDir(ctx context.Context, opts Options) (bool, error) {
	opts.defaults()
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return false, err
	}
	cred, err := serverCredential()
	if err != nil {
		return false, err
	}
	c := &Cluster{Dir: dir, Host: "127.0.0.1", BinDir: opts.BinDir, log: opts.Logger, cred: cred}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
		return false, nil
	}
	return c.pgctlStop(ctx, "fast")
}

// inspect reads postmaster.pid. A pid file whose process is dead (or is not a postgres process) is stale:
// it is removed, with a log line. A live postmaster that does not answer within a few seconds is an error.
func (c *Cluster) inspect(ctx context.Context) (Status, error) {
	st := Status{Dir: c.Dir}
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); err == nil {
		st.Initialized = true
	}
	pidPath := filepath.Join(c.Dir, "postmaster.pid")
	data, err := os.ReadFile(pidPath)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	} else if err != nil {
		return st, fmt.Errorf("reading %s: %w", pidPath, err)
	}
	lines := strings.Split(string(data), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	port := 0
	if len(lines) > 3 {
		port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	if pid <= 0 || !postgresAlive(pid) {
		c.log.Warn("removing stale postmaster.pid: its process is gone (crash or reboot)", "dir", c.Dir, "pid", pid)
		if err := os.Remove(pidPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return st, fmt.Errorf("removing stale %s: %w", pidPath, err)
		}
		// The socket and its lock file live in the data directory too (-k); PostgreSQL would take a
		// zombie postmaster named in the lock file for a live one.
		socks, _ := filepath.Glob(filepath.Join(c.Dir, ".s.PGSQL.*"))
		for _, f := range socks {
			_ = os.Remove(f)
		}
		return st, nil
	}
	st.PID, st.Port = pid, port
	probe := &Cluster{Host: "127.0.0.1", Port: port}
	deadline := time.Now().Add(10 * time.Second)
	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := probe.connect(cctx, AdminRole, "postgres")
		cancel()
		if err == nil {
			conn.Close(ctx)
			st.Running = true
			return st, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return st, fmt.Errorf("postmaster.pid names live process %d, but nothing answers on port %d (%v); if that process is not this cluster's postgres, stop it and retry", pid, port, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// processAlive reports whether a process with this pid exists and is not a zombie.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// "pid (comm) S ...": the state follows the last ')'.
		if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
			return false
		}
	}
	return true
}

// postgresAlive reports whether pid is a live process that looks like a PostgreSQL server.
func postgresAlive(pid int) bool {
	if !processAlive(pid) {
		return false
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return true // no /proc: trust kill(0)
	}
	name := strings.TrimSpace(string(comm))
	return name == "postgres" || name == "postmaster"
}

func (c *Cluster) initdb(ctx context.Context) error {
	if err := os.MkdirAll(filepath.Dir(c.Dir), 0o755); err != nil {
		return fmt.Errorf("creating parent of data directory: %w", err)
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("creating data directory: %w", err)
	}
	if err := c.chown(c.Dir); err != nil {
		return err
	}
	start := time.Now()
	if c.ephemeral {
		err := c.initdbFromCache(ctx)
		if err == nil {
			c.log.Info("initialized data directory from the initdb cache", "dir", c.Dir, "took", time.Since(start).Round(time.Millisecond))
			return nil
		}
		c.log.Warn("initdb cache unusable, running initdb", "err", err)
	}
	if err := c.runInitdb(ctx, c.Dir); err != nil {
		return err
	}
	c.log.Info("initialized data directory", "dir", c.Dir, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (c *Cluster) runInitdb(ctx context.Context, dir string) error {
	args := []string{"-D", dir, "-U", AdminRole, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"}
	out, err := c.run(ctx, filepath.Join(c.BinDir, "initdb"), args...)
	if err != nil && bytes.Contains(out, []byte("invalid locale")) {
		// No C.UTF-8 on this system: fall back to the C locale.
		c.log.Warn("initdb: C.UTF-8 locale unavailable, using C")
		args[len(args)-1] = "--locale=C"
		out, err = c.run(ctx, filepath.Join(c.BinDir, "initdb"), args...)
	}
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, tail(out, 20))
	}
	return nil
}

// initdbFromCache copies a pristine initdb result, kept in the temporary directory per server version and
// OS user, into the data directory: two to three times faster than initdb, which matters for test processes
// that each start an ephemeral cluster.
func (c *Cluster) initdbFromCache(ctx context.Context) error {
	version, err := c.run(ctx, filepath.Join(c.BinDir, "postgres"), "--version")
	if err != nil {
		return fmt.Errorf("postgres --version: %w", err)
	}
	uid := os.Geteuid()
	if c.cred != nil {
		uid = int(c.cred.Uid)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d\x00%s", c.BinDir, version, uid, AdminRole))
	cache := filepath.Join(c.tempDir, "zb-initdb-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(cache, "PG_VERSION")); err != nil {
		// Build it under a temporary name, then rename: concurrent processes never see half a cache.
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		tmp := cache + ".tmp-" + hex.EncodeToString(b)
		if err := c.runInitdb(ctx, tmp); err != nil {
			os.RemoveAll(tmp)
			return err
		}
		if err := os.Rename(tmp, cache); err != nil {
			os.RemoveAll(tmp) // another process won the race
		}
	}
	if out, err := c.run(ctx, "/bin/cp", "-a", cache+"/.", c.Dir); err != nil {
		return fmt.Errorf("copying %s: %w\n%s", cache, err, bytes.TrimSpace(out))
	}
	return nil
}

func (c *Cluster) pgctlStart(ctx context.Context) error {
	start := time.Now()
	settings := []string{
		"-p", strconv.Itoa(c.Port),
		"-k", shellQuote(c.Dir),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "wal_level=logical",
		"-c", "max_connections=200",
		"-c", "synchronous_commit=off",
		"-c", "shared_preload_libraries=pg_stat_statements",
		// Commit times of rows (pg_xact_commit_timestamp): the chat benchmarks time a turn from the
		// commit of the user's message to the commit of the reply.
		"-c", "track_commit_timestamp=on",
	}
	if c.ephemeral {
		settings = append(settings, "-c", "fsync=off", "-c", "full_page_writes=off")
	}
	logPath := filepath.Join(c.Dir, logFileName)
	out, err := c.run(ctx, filepath.Join(c.BinDir, "pg_ctl"), "start", "-w", "-t", "60", "-D", c.Dir, "-l", logPath, "-o", strings.Join(settings, " "))
	if err != nil {
		logTail, _ := os.ReadFile(logPath)
		return fmt.Errorf("pg_ctl start: %w\n%s\n--- %s (tail) ---\n%s", err, bytes.TrimSpace(out), logPath, tail(logTail, 25))
	}
	c.log.Info("postgres started", "dir", c.Dir, "port", c.Port, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// pgctlStop stops the server; it reports whether one was running.
func (c *Cluster) pgctlStop(ctx context.Context, mode string) (bool, error) {
	out, err := c.run(ctx, filepath.Join(c.BinDir, "pg_ctl"), "stop", "-w", "-t", "60", "-D", c.Dir, "-m", mode)
	if err != nil {
		if bytes.Contains(out, []byte("PID file")) && bytes.Contains(out, []byte("does not exist")) {
			return false, nil // not running
		}
		return false, fmt.Errorf("stopping postgres in %s: %w\n%s", c.Dir, err, bytes.TrimSpace(out))
	}
	c.log.Info("postgres stopped", "dir", c.Dir, "mode", mode)
	return true, nil
}

// run runs a program (a server binary), as the postgres OS user when this process is root.
func (c *Cluster) run(ctx context.Context, path string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = "/" // the postgres user may not be able to enter our working directory
	cmd.Env = serverEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// serverEnv is our environment without PG* variables (PGDATA, PGPORT... must not leak into the server).
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// serverCredential is nil unless we are root, in which case the server runs as the postgres OS user.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(osUserName)
	if err != nil {
		return nil, fmt.Errorf("running as root needs the %q OS user (initdb refuses root): %w", osUserName, err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}

// checkReachable fails early, with a clear message, when the server's OS user cannot reach the data
// directory (for example a checkout under /root, which is mode 0700).
func (c *Cluster) checkReachable() error {
	if c.cred == nil {
		return nil
	}
	for d := filepath.Dir(c.Dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err == nil {
			st, ok := fi.Sys().(*syscall.Stat_t)
			searchable := fi.Mode().Perm()&0o001 != 0 ||
				ok && st.Uid == c.cred.Uid && fi.Mode().Perm()&0o100 != 0 ||
				ok && st.Gid == c.cred.Gid && fi.Mode().Perm()&0o010 != 0
			if !searchable {
				return fmt.Errorf("the %s OS user, which runs the server, cannot enter %s (mode %v): use a data directory elsewhere or chmod o+x it", osUserName, d, fi.Mode().Perm())
			}
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

func (c *Cluster) chown(path string) error {
	if c.cred == nil {
		return nil
	}
	if err := os.Chown(path, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
		return fmt.Errorf("chown %s to the %s user: %w", path, osUserName, err)
	}
	return nil
}

func (c *Cluster) connect(ctx context.Context, role, db string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, c.URL(role, db))
	if err != nil {
		return nil, fmt.Errorf("connecting as %s to database %s: %w", role, db, err)
	}
	return conn, nil
}

// reapEphemeral stops and removes ephemeral clusters whose owning process is gone (a test binary killed
// by a timeout or a signal never runs its cleanup).
func reapEphemeral(ctx context.Context, opts Options) {
	dirs, _ := filepath.Glob(filepath.Join(opts.TempDir, ephemeralPrefix+"*"))
	for _, root := range dirs {
		b, err := os.ReadFile(filepath.Join(root, ownerFile))
		if err != nil {
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid <= 0 || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		cred, _ := serverCredential()
		c := &Cluster{Dir: filepath.Join(root, "data"), BinDir: opts.BinDir, cred: cred, log: opts.Logger}
		if _, err := os.Stat(filepath.Join(c.Dir, "postmaster.pid")); err == nil {
			_, _ = c.pgctlStop(ctx, "immediate")
		}
		if err := os.RemoveAll(root); err == nil {
			opts.Logger.Info("removed leftover ephemeral cluster", "dir", root, "owner_pid", pid)
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("picking a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func checkPortFree(port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("port %d on 127.0.0.1 is already in use by another process (not this cluster); pick another port: %w", port, err)
	}
	return l.Close()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
