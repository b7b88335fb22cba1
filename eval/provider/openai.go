package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"promptbench/workspace/served"
)

// chatRequest translates a Request into go-openai's request for model:
// the request applications build from the export file (served.ChatRequest),
// after checking what a server would refuse.
func chatRequest(model string, req Request) (openai.ChatCompletionRequest, error) {
	if rf := req.Params.ResponseFormat; rf != nil {
		switch rf.Type {
		case "", "text", "json_object":
		case "json_schema":
			if len(rf.Schema) == 0 || !json.Valid(rf.Schema) {
				return openai.ChatCompletionRequest{}, fmt.Errorf("%w: response_format json_schema needs a valid JSON schema", ErrInvalidRequest)
			}
		default:
			return openai.ChatCompletionRequest{}, fmt.Errorf("%w: unknown response_format type %q (want text, json_object or json_schema)", ErrInvalidRequest, rf.Type)
		}
	}
	c := served.ChatRequest(model, req.Messages, req.Params)
	if req.Stream {
		c.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	}
	return c, nil
}

// attempt is one HTTP exchange of a call.
type attempt struct {
	output, finish string
	usage          *openai.Usage
	ttft, latency  time.Duration
	delivered      bool // a delta went to the caller: no retry from here
	status         int  // HTTP status, 0 if none came
	retryAfter     time.Duration
	timedOut       bool
	err            error
}

// errTimeout is the cause an attempt's context is cancelled with when the
// provider's timeout passes.
var errTimeout = errors.New("attempt timed out")

func (p *Provider) attempt(ctx context.Context, client *openai.Client, creq openai.ChatCompletionRequest, stream bool, onDelta func(string)) *attempt {
	a := &attempt{}
	if p.sem != nil {
		select {
		case p.sem <- struct{}{}:
			defer func() { <-p.sem }()
		case <-ctx.Done():
			a.err = ctx.Err()
			return a
		}
	}
	if p.limiter != nil {
		if err := p.limiter.Wait(ctx); err != nil {
			a.err = err
			if ctx.Err() != nil {
				a.err = ctx.Err()
			}
			return a
		}
	}
	started, err := p.adaptive.acquire(ctx)
	if err != nil {
		a.err = err
		return a
	}
	resp := &response{}
	defer func() { p.adaptive.release(started, resp.code, resp.pause) }()
	actx, cancel := context.WithCancelCause(context.WithValue(ctx, responseKey{}, resp))
	defer cancel(nil)
	timer := time.AfterFunc(p.timeout, func() { cancel(errTimeout) })
	defer timer.Stop()
	start := time.Now()
	if stream {
		p.stream(actx, client, creq, onDelta, a, start, resp, func(d time.Duration) { timer.Reset(d) })
	} else {
		p.plain(actx, client, creq, a, start)
	}
	a.status, a.retryAfter = resp.status, resp.retryAfter
	if a.err != nil && ctx.Err() == nil && errors.Is(context.Cause(actx), errTimeout) {
		a.timedOut = true
	}
	return a
}

func (p *Provider) plain(ctx context.Context, client *openai.Client, creq openai.ChatCompletionRequest, a *attempt, start time.Time) {
	r, err := client.CreateChatCompletion(ctx, creq)
	a.latency = time.Since(start)
	if err != nil {
		a.err = err
		return
	}
	if len(r.Choices) == 0 {
		a.err = fmt.Errorf("%w: the answer has no choices", ErrMalformed)
		return
	}
	ch := r.Choices[0]
	a.output, a.finish, a.ttft = ch.Message.Content, string(ch.FinishReason), a.latency
	if a.output == "" {
		a.output = ch.Message.Refusal
	}
	a.usage = &r.Usage
}

// stream reads an SSE answer. It ends well only with a finish reason: a
// stream that stops before one was cut, whatever the transport says.
func (p *Provider) stream(ctx context.Context, client *openai.Client, creq openai.ChatCompletionRequest,
	onDelta func(string), a *attempt, start time.Time, resp *response, alive func(time.Duration)) {
	s, err := client.CreateChatCompletionStream(ctx, creq)
	if err != nil {
		a.err = err
		a.latency = time.Since(start)
		return
	}
	defer s.Close()
	var b strings.Builder
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			a.err = err
			break
		}
		alive(p.timeout)
		if chunk.Usage != nil {
			a.usage = chunk.Usage
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			text := ch.Delta.Content
			if text == "" {
				text = ch.Delta.Refusal
			}
			if text != "" {
				if !a.delivered {
					a.ttft = time.Since(start)
					a.delivered = true
				}
				b.WriteString(text)
				onDelta(text)
			}
			if ch.FinishReason != "" {
				a.finish = string(ch.FinishReason)
			}
		}
	}
	a.output, a.latency = b.String(), time.Since(start)
	if a.err == nil && a.finish == "" {
		a.err = ErrStreamCut
	}
	if a.err == nil && resp.body != nil {
		// go-openai stops at "data: [DONE]" and closes the body before
		// the end of the chunked encoding, which costs the connection.
		// Read that end (it follows at once) so the connection is reused.
		alive(min(p.timeout, time.Second))
		io.CopyN(io.Discard, resp.body, 4<<10)
	}
}
