package exchange

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"promptbench/workspace"
)

// pipeline lets the cores decode and check versions (the bulk of an
// import's work: YAML, hashes, templates, encoding) while the merge itself
// stays in file order on one goroutine, the only one that touches the
// store. The splitter queues one op per piece; ops run in order, each
// waiting for its version's decoding, as soon as more than pipelineOps or
// pipelineBytes of pieces wait, and at the end. The first error in file
// order wins.
type pipeline struct {
	ops   []pendingOp
	head  int
	bytes int
	jobs  chan *importJob
	wg    sync.WaitGroup
	stop  atomic.Bool
	err   error // of the first op that failed: no op runs after it
	vars  templateCache
}

const (
	pipelineOps   = 256
	pipelineBytes = 8 << 20
)

type pendingOp struct {
	run  func() error
	job  *importJob // nil for an op that needs no decoding
	size int
}

// importJob is one version's piece, decoded and checked by a worker.
type importJob struct {
	dec    pieceDecoder
	prompt string
	text   []byte
	line   int
	index  int // in the prompt
	encode bool
	res    versionResult
	done   chan struct{}
}

// versionResult is a version decoded and checked on its own, with its
// record encoded in the file's numbering; what it lacks is the merge.
type versionResult struct {
	v     workspace.Version
	id    string
	val   []byte
	place placer
	ferr  *fieldError // to place
	err   error       // already placed
}

func newPipeline() *pipeline {
	p := &pipeline{jobs: make(chan *importJob, 64)}
	for range runtime.GOMAXPROCS(0) {
		p.wg.Go(func() {
			for j := range p.jobs {
				if !p.stop.Load() {
					j.work(&p.vars)
				}
				close(j.done)
			}
		})
	}
	return p
}

func (j *importJob) work(vars *templateCache) {
	fv, err := j.dec.version(j.text, j.line)
	if err != nil {
		j.res = versionResult{err: err}
		return
	}
	j.res = checkVersion(j.prompt, j.index, fv, j.place, vars, j.dec.lim, j.encode)
}

// place places an error in the version's piece, which it reads again.
func (j *importJob) place(fe *fieldError) error {
	var probe []fileVersion
	return j.dec.placeIn(j.text, j.line, "", fmt.Sprintf("versions[%d]", j.index), &probe)(fe)
}

// checkVersion validates a version and encodes it.
func checkVersion(prompt string, i int, fv fileVersion, place placer, vars *templateCache, lim workspace.ImportLimits, encode bool) versionResult {
	res := versionResult{place: place}
	v, ferr := validateVersion(prompt, i, fv, vars, lim)
	if ferr != nil {
		res.ferr = ferr
		return res
	}
	res.v, res.id = v, versionID(v)
	if encode {
		res.val, res.err = json.Marshal(v)
	}
	return res
}

// push queues an op, running the oldest ones while too many wait.
func (p *pipeline) push(run func() error, job *importJob, size int) error {
	if p.err != nil {
		return p.err
	}
	if job != nil {
		job.done = make(chan struct{})
		p.jobs <- job
	}
	p.ops = append(p.ops, pendingOp{run: run, job: job, size: size})
	p.bytes += size
	for len(p.ops)-p.head > pipelineOps || p.bytes > pipelineBytes {
		if err := p.runOldest(); err != nil {
			return err
		}
	}
	return nil
}

func (p *pipeline) runOldest() error {
	if p.err != nil {
		return p.err
	}
	o := p.ops[p.head]
	p.ops[p.head] = pendingOp{}
	p.head++
	if p.head > 1024 && p.head*2 > len(p.ops) {
		p.ops = append(p.ops[:0], p.ops[p.head:]...)
		p.head = 0
	}
	if o.job != nil {
		<-o.job.done
	}
	p.bytes -= o.size
	p.err = o.run()
	return p.err
}

// drain runs every waiting op.
func (p *pipeline) drain() error {
	for p.head < len(p.ops) || p.err != nil {
		if err := p.runOldest(); err != nil {
			return err
		}
	}
	return nil
}

// close stops the workers, skipping what is left.
func (p *pipeline) close() {
	p.stop.Store(true)
	close(p.jobs)
	p.wg.Wait()
}
