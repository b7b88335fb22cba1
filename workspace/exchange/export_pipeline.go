package exchange

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// Export's prompts go through a pipeline: the store's goroutine reads each
// prompt's version records (one iterator, in key order), workers on the
// other cores decode, check and write them as YAML, and one goroutine
// writes the pieces in order. Decoding and checking the hashes of 100,000
// versions is most of an export's work, and it needs no store.

// promptJob is a run of consecutive prompts' part of the document: a few
// dozen prompts per job keep the hand-offs cheap.
type promptJob struct {
	first   bool // starts the list: writes the prompts key
	prompts []jobPrompt
	// The version records, copied out of the store: numbers and the ends
	// of each record in raw, prompt after prompt.
	numbers []int
	ends    []int
	raw     []byte

	out  *exportyaml.Writer
	err  error
	done chan struct{}
}

// jobBuffers are a job's record buffers and list of prompts, kept for
// the next job.
type jobBuffers struct {
	numbers, ends []int
	raw           []byte
	prompts       []jobPrompt
}

// jobPrompt is a prompt of a job and how many of the job's records are its.
type jobPrompt struct {
	p        workspace.Prompt
	moves    workspace.MoveRecords
	versions int
}

const (
	// pipelineDepth bounds the jobs read ahead of the writer, and so the
	// memory an export holds.
	pipelineDepth = 4
	// A job ends after this many prompts or bytes of records.
	jobPrompts = 16
	jobBytes   = 64 << 10
	// The table pages a scan read are released after about this many
	// bytes of records (storage.Tx.ReleaseTablePages).
	releaseEvery = 4 << 20
)

// writePrompts writes the selected prompts to sink, the prompts key
// included, and returns their names; it writes nothing when none is
// selected.
func writePrompts(tx *storage.Tx, sink io.Writer, o ExportOptions) ([]string, error) {
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan *promptJob, pipelineDepth)
	order := make(chan *promptJob, pipelineDepth)
	stop := make(chan struct{})
	// Output and record buffers go round between the goroutines instead
	// of growing anew for every job.
	outs := newFreeList[exportyaml.Writer](2*pipelineDepth + workers + 2)
	raws := newFreeList[jobBuffers](2*pipelineDepth + workers + 2)

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var versions workspace.VersionRecordWriter
			for job := range jobs {
				job.out = outs.get()
				job.out.Reset()
				job.err = renderJob(job, &versions)
				if cap(job.raw) <= keepBuffer {
					clear(job.prompts) // the prompts go; the list stays
					raws.put(&jobBuffers{job.numbers[:0], job.ends[:0], job.raw[:0], job.prompts[:0]})
				}
				job.numbers, job.ends, job.raw, job.prompts = nil, nil, nil, nil
				close(job.done)
			}
		})
	}
	var writeErr error
	written := make(chan struct{})
	go func() {
		defer close(written)
		for job := range order {
			<-job.done
			if writeErr == nil {
				writeErr = job.err
				if writeErr == nil {
					if _, err := sink.Write(job.out.Bytes()); err != nil {
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

	names, readErr := readPrompts(tx, o, raws, jobs, order, stop)
	close(jobs)
	close(order)
	wg.Wait()
	<-written
	if writeErr != nil {
		return nil, writeErr
	}
	return names, readErr
}

// keepBuffer is the largest buffer kept for the next job: one that a
// large version grew goes.
const keepBuffer = 1 << 20

// freeList keeps up to its capacity of values for reuse. A sync.Pool
// drops its values at every garbage collection, and an export collects
// often: its buffers were made anew several times a second.
type freeList[T any] chan *T

func newFreeList[T any](n int) freeList[T] { return make(chan *T, n) }

// get is a kept value, or a new one.
func (l freeList[T]) get() *T {
	select {
	case x := <-l:
		return x
	default:
		return new(T)
	}
}

// put keeps x unless the list is full.
func (l freeList[T]) put(x *T) {
	select {
	case l <- x:
	default:
	}
}

// errStopped ends the reading when the writer has stopped: the writer's
// error is the one returned.
var errStopped = errors.New("export stopped")

// readPrompts reads the prompts and their versions and hands them on in
// jobs, until the writer stops.
func readPrompts(tx *storage.Tx, o ExportOptions, raws freeList[jobBuffers], jobs, order chan<- *promptJob, stop <-chan struct{}) ([]string, error) {
	versions := tx.VersionReader()
	defer versions.Close()
	var names []string
	read := 0 // bytes of records since the table pages were released
	// Label history lives in the audit trail, one event per commit: it is
	// read once, when the first labelled prompt comes.
	var history map[string]workspace.MoveRecords
	newJob := func() *promptJob {
		b := raws.get()
		return &promptJob{numbers: b.numbers, ends: b.ends, raw: b.raw, prompts: b.prompts, done: make(chan struct{})}
	}
	job := newJob()
	job.first = true
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
	err := forEachPrompt(tx, o, func(p workspace.Prompt) error {
		if len(p.Labels) > 0 && history == nil {
			var err error
			if history, err = workspace.AllMoveRecords(tx); err != nil {
				return err
			}
		}
		jp := jobPrompt{p: p, moves: history[p.Name]}
		err := versions.Versions(p.Name, func(n int, b []byte) error {
			if n > p.Latest {
				return nil // left by an interrupted import; not part of the prompt
			}
			job.numbers = append(job.numbers, n)
			job.raw = append(job.raw, b...)
			job.ends = append(job.ends, len(job.raw))
			jp.versions++
			return nil
		})
		if err != nil {
			return err
		}
		job.prompts = append(job.prompts, jp)
		names = append(names, p.Name)
		if read += len(job.raw); read >= releaseEvery {
			tx.ReleaseTablePages()
			read = 0
		}
		if len(job.prompts) >= jobPrompts || len(job.raw) >= jobBytes {
			return send()
		}
		return nil
	})
	if err == nil && len(job.prompts) > 0 {
		err = send()
	}
	if errors.Is(err, errStopped) {
		err = nil
	}
	return names, err
}

// renderJob writes a job's prompts as items of the prompts list.
func renderJob(job *promptJob, versions *workspace.VersionRecordWriter) error {
	w := job.out
	if job.first {
		w.Open(0, "prompts")
	}
	i, start := 0, 0
	for _, jp := range job.prompts {
		p := jp.p
		w.Raw("- name:")
		w.Scalar(2, p.Name, false)
		if p.Description != "" {
			if workspace.LooksLikeSecretIn(p.Description) {
				return workspace.SecretError(p.Name, 0, "description")
			}
			w.Str(2, "description", p.Description)
		}
		w.KeyPrefix(2, "created")
		w.Time(p.Created)
		if len(p.Tags) > 0 {
			w.Open(2, "tags")
			for _, t := range p.Tags {
				w.Item(2, t)
			}
		}
		writeLabels(w, p, jp.moves, jp.versions)
		w.Open(2, "versions")
		for range jp.versions {
			if err := versions.Write(w, p.Name, job.numbers[i], job.raw[start:job.ends[i]]); err != nil {
				return err
			}
			start = job.ends[i]
			i++
		}
	}
	return nil
}
