package exchange

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// A full export's audit section goes through a pipeline as its prompts do
// (export_pipeline.go): the store's goroutine reads the trail in time
// order and hands it on in jobs of whole instants, workers on the other
// cores decode and write each job's events, and one goroutine writes the
// pieces in order. The section is an event per commit and label move, a
// quarter of the file: written by one goroutine after the prompts, it left
// the second core idle for a fifth of the export.

// auditJob is a run of consecutive events, whole instants only: the
// events' bytes and where each ends in raw.
type auditJob struct {
	raw  []byte
	ends []int

	out  *exportyaml.Writer
	err  error
	done chan struct{}
}

// writeFullAudit writes the audit section of a full export through w.
func writeFullAudit(tx *storage.Tx, w *exportyaml.Writer) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan *auditJob, pipelineDepth)
	order := make(chan *auditJob, pipelineDepth)
	stop := make(chan struct{})
	outs := newFreeList[exportyaml.Writer](2*pipelineDepth + workers + 2)
	raws := newFreeList[auditJob](2*pipelineDepth + workers + 2)

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var s instantEvents
			for job := range jobs {
				job.out = outs.get()
				job.out.Reset()
				job.err = renderAuditJob(job, &s)
				if cap(job.raw) <= keepBuffer {
					raws.put(&auditJob{raw: job.raw[:0], ends: job.ends[:0]})
				}
				job.raw, job.ends = nil, nil
				close(job.done)
			}
		})
	}
	var writeErr error
	written := make(chan struct{})
	go func() {
		defer close(written)
		opened := false
		for job := range order {
			<-job.done
			if writeErr == nil {
				writeErr = job.err
				if writeErr == nil && job.out.Len() > 0 {
					if !opened {
						w.Open(0, "audit")
						opened = true
					}
					if err := w.WriteThrough(job.out.Bytes()); err != nil {
						writeErr = fmt.Errorf("write export: %w", err)
					}
				}
				if writeErr != nil {
					close(stop)
				}
			}
			if job.out.Cap() <= keepBuffer {
				outs.put(job.out)
			}
		}
	}()

	readErr := readAudit(tx, raws, jobs, order, stop)
	close(jobs)
	close(order)
	wg.Wait()
	<-written
	if writeErr != nil {
		return writeErr
	}
	return readErr
}

// readAudit reads the trail's events but imports in time order and hands
// them on in jobs that end between two instants, until the writer stops.
func readAudit(tx *storage.Tx, raws freeList[auditJob], jobs, order chan<- *auditJob, stop <-chan struct{}) error {
	newJob := func() *auditJob {
		j := raws.get()
		return &auditJob{raw: j.raw, ends: j.ends, done: make(chan struct{})}
	}
	job := newJob()
	send := func() error {
		select {
		case order <- job:
		case <-stop:
			return errStopped
		}
		jobs <- job
		job = newJob()
		return nil
	}
	var last []byte // the time of the job's last event, as written
	read := 0       // bytes of records since the table pages were released
	notImport := func(action string) bool { return action != workspace.AuditImport }
	err := tx.ScanAuditInTime(notImport, func(b []byte) error {
		at := canonicalTime(b)
		if len(job.raw) >= jobBytes && last != nil && at != nil && !bytes.Equal(at, last) {
			if err := send(); err != nil {
				return err
			}
		}
		start := len(job.raw)
		job.raw = append(job.raw, b...)
		job.ends = append(job.ends, len(job.raw))
		last = nil
		if at != nil {
			last = job.raw[start+len(timeLead) : start+len(timeLead)+len(at)]
		}
		if read += len(b); read >= releaseEvery {
			tx.ReleaseTablePages()
			read = 0
		}
		return nil
	})
	if err == nil && len(job.ends) > 0 {
		err = send()
	}
	if err == errStopped {
		err = nil
	}
	return err
}

// renderAuditJob writes a job's events, each instant's in the section's
// order (exportOrder). The job's bytes stay put until it is done: the
// events are decoded in place from them.
func renderAuditJob(job *auditJob, s *instantEvents) error {
	write := func() {
		for _, h := range s.sorted() {
			writeEventText(job.out, h.ev, h.timeText)
		}
	}
	s.n = 0
	start := 0
	for _, end := range job.ends {
		h, err := s.decode(job.raw[start:end])
		start = end
		if err != nil {
			return err
		}
		if h.ev.Action == workspace.AuditImport {
			continue
		}
		if s.startsNew(h) {
			write()
			s.restart()
		} else {
			s.keep()
		}
	}
	if s.n > 0 {
		write()
	}
	return nil
}

// timeLead is how an audit event's record starts: its time comes first
// (json.Marshal of workspace.AuditEvent).
const timeLead = `{"time":"`

// canonicalTime is the time an audit record starts with when it is
// written as a UTC time formats in RFC 3339 with nanoseconds (trailing
// zeros of the fraction left out), and nil otherwise. Two such times
// are the same instant exactly when their bytes are equal, so a job may
// end between two events whose times differ so.
func canonicalTime(b []byte) []byte {
	if !bytes.HasPrefix(b, []byte(timeLead)) {
		return nil
	}
	rest := b[len(timeLead):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil
	}
	t := rest[:end]
	const layout = "0000-00-00T00:00:00"
	if len(t) < len(layout)+1 || t[len(t)-1] != 'Z' {
		return nil
	}
	for i := range len(layout) {
		if digit := layout[i] == '0'; digit != (t[i] >= '0' && t[i] <= '9') || !digit && t[i] != layout[i] {
			return nil
		}
	}
	frac := t[len(layout) : len(t)-1]
	if len(frac) == 0 {
		return t
	}
	if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 || frac[len(frac)-1] == '0' {
		return nil
	}
	for _, c := range frac[1:] {
		if c < '0' || c > '9' {
			return nil
		}
	}
	return t
}
