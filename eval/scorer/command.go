package scorer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"time"
)

// cmdInput is the one JSON object a cmd scorer reads on stdin.
type cmdInput struct {
	Case      Case    `json:"case"`
	Variant   Variant `json:"variant"`
	Output    string  `json:"output"`
	LatencyMS int64   `json:"latency_ms"`
	TokensIn  int     `json:"tokens_in"`
	TokensOut int     `json:"tokens_out"`
	CostUSD   float64 `json:"cost_usd"`
}

// cmdOutput is what it prints: score required, pass and reason optional.
type cmdOutput struct {
	Score  *float64 `json:"score"`
	Pass   *bool    `json:"pass"`
	Reason string   `json:"reason"`
}

// maxCmdStdout bounds what a cmd scorer may print; its answer is one
// small JSON object.
const maxCmdStdout = 1 << 20

// buildCmd makes a scorer that runs a program per output: argv[0] with a
// slash is relative to Options.Dir, a bare name is looked up in $PATH; it
// runs in Options.Dir. A non-zero exit, a time-out, or stdout that is not
// one JSON object with a finite "score" is a scorer error carrying the
// last line of the program's stderr.
func (s *Scorer) buildCmd(opt Options) {
	argv := append([]string(nil), s.spec.Argv...)
	if strings.ContainsRune(argv[0], '/') {
		argv[0] = resolve(opt.Dir, argv[0])
	}
	limit := opt.CmdTimeout
	if limit <= 0 {
		limit = DefaultCmdTimeout
	}
	s.score = func(ctx context.Context, in Input) (Result, error) {
		stdin, err := json.Marshal(cmdInput{
			Case: in.Case, Variant: in.Variant, Output: in.Output,
			LatencyMS: in.Latency.Milliseconds(), TokensIn: in.TokensIn, TokensOut: in.TokensOut, CostUSD: in.CostUSD,
		})
		if err != nil {
			return Result{}, s.errorf("encode the case for the program: %v", err)
		}
		run, cancel := context.WithTimeout(ctx, limit)
		defer cancel()
		cmd := exec.CommandContext(run, argv[0], argv[1:]...)
		cmd.Dir = opt.Dir
		cmd.Stdin = bytes.NewReader(stdin)
		var stdout capped
		stdout.max = maxCmdStdout
		var stderr tail
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		// A grandchild holding the pipes open must not outlive the limit.
		cmd.WaitDelay = 2 * time.Second
		err = cmd.Run()
		e := &Error{Spec: s.spec.Spec, Stderr: stderr.lastLine()}
		var exit *exec.ExitError
		switch {
		case ctx.Err() != nil:
			return Result{}, ctx.Err()
		case run.Err() != nil:
			e.Msg = fmt.Sprintf("no answer within %s", limit)
			return Result{}, e
		case errors.As(err, &exit):
			e.Msg = fmt.Sprintf("exited with status %d", exit.ExitCode())
			return Result{}, e
		case err != nil:
			e.Msg = err.Error()
			return Result{}, e
		case stdout.over:
			e.Msg = fmt.Sprintf("printed more than %d bytes", maxCmdStdout)
			return Result{}, e
		}
		var out cmdOutput
		if err := oneJSON(stdout.b.Bytes(), &out); err != nil {
			e.Msg = fmt.Sprintf(`printed %s, not one JSON object {"score": n, "pass": bool, "reason": "..."}: %v`, clip(stdout.b.String()), err)
			return Result{}, e
		}
		if out.Score == nil || math.IsNaN(*out.Score) || math.IsInf(*out.Score, 0) {
			e.Msg = `printed no finite "score"`
			return Result{}, e
		}
		return Result{Value: *out.Score, Pass: out.Pass, Reason: out.Reason}, nil
	}
}

// capped keeps the first max bytes written and notes the overflow.
type capped struct {
	b    bytes.Buffer
	max  int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	n := len(p) // taken whole, so the copy from the pipe goes on to EOF
	if room := c.max - c.b.Len(); len(p) > room {
		c.over = true
		p = p[:max(room, 0)]
	}
	c.b.Write(p)
	return n, nil
}

// tail keeps the last 4 KiB written: enough for a last line.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = append(t.b[:0], t.b[len(t.b)-4096:]...)
	}
	return len(p), nil
}

func (t *tail) lastLine() string {
	s := strings.TrimRight(string(t.b), "\r\n\t ")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}
