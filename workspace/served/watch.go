package served

import (
	"context"
	"time"
)

// Watch checks the file every interval (1 s when 0) and reloads it when it
// changed (size, modification time or, on Unix, the file itself replaced
// by a rename, as git checkout and promptbench's export_file do). Each
// reload's outcome goes to Options.OnReload; a bad or missing file keeps
// the last good one served. It returns when ctx is done.
//
// It polls rather than subscribing to file-system events: one stat per
// interval costs nothing, needs no dependency, and sees a file replaced
// by a rename or on a network mount, where events get lost.
func (l *Library) Watch(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Second
	}
	var last stamp
	if snap := l.cur.Load(); snap != nil {
		last = snap.stamp
	}
	var lastErr string
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		st, err := statFile(l.path)
		if err == nil && st == last {
			continue
		}
		if err == nil {
			err = l.Reload()
		}
		if err == nil {
			last, lastErr = st, ""
			l.report(nil)
			continue
		}
		// A file that stays bad is reported once, not every interval.
		if err.Error() != lastErr {
			lastErr = err.Error()
			l.report(err)
		}
		last = st
	}
}

func (l *Library) report(err error) {
	if l.opts.OnReload != nil {
		l.opts.OnReload(err)
	}
}
