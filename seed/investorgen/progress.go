package investorgen

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progress reports rows written: a \r-redrawn bar on Options.Progress, or periodic log lines.
type progress struct {
	opts  Options
	total int64
	done  atomic.Int64
	phase atomic.Pointer[string]
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
}

func startProgress(opts Options, total int64) *progress {
	p := &progress{opts: opts, total: total, start: time.Now(), stop: make(chan struct{})}
	p.setPhase("start")
	every := opts.LogEvery
	if opts.Progress != nil {
		every = 200 * time.Millisecond
	}
	if opts.Progress == nil && every < 0 {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.report(false)
			}
		}
	}()
	return p
}

func (p *progress) setPhase(s string) { p.phase.Store(&s) }

// finish stops the ticker and, for the bar, draws the final state and ends the line. Safe to call
// more than once.
func (p *progress) finish() {
	p.once.Do(func() {
		close(p.stop)
		p.wg.Wait()
		if p.opts.Progress != nil {
			p.report(true)
		}
	})
}

func (p *progress) report(final bool) {
	done := p.done.Load()
	elapsed := time.Since(p.start)
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(done) / s
	}
	eta := time.Duration(0)
	if rate > 0 && done < p.total {
		eta = time.Duration(float64(p.total-done) / rate * float64(time.Second))
	}
	phase := *p.phase.Load()
	if p.opts.Progress == nil {
		p.opts.Logger.Info("investorgen: progress", "phase", phase, "rows", done, "total", p.total,
			"rows_per_s", int64(rate), "eta", eta.Round(time.Second).String())
		return
	}
	frac := 1.0
	if p.total > 0 {
		frac = float64(done) / float64(p.total)
	}
	const width = 24
	filled := int(frac * width)
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	line := fmt.Sprintf("\r%-28.28s [%s] %3.0f%% %d/%d rows %8.0f rows/s ETA %-8s",
		phase, bar, frac*100, done, p.total, rate, eta.Round(time.Second))
	if final {
		line = fmt.Sprintf("\r%-28.28s [%s] %3.0f%% %d/%d rows %8.0f rows/s in %-8s\n",
			phase, bar, frac*100, done, p.total, rate, elapsed.Round(100*time.Millisecond))
	}
	_, _ = fmt.Fprint(p.opts.Progress, line)
}
