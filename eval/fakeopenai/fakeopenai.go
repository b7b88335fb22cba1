// Package fakeopenai is an in-process HTTP server speaking the OpenAI chat
// completions API (plain JSON and SSE streams) with scripted faults, for
// tests and benchmarks of the model-call engine. It listens on loopback
// only.
package fakeopenai

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Reply scripts the answer to one request. The zero Reply is a normal
// answer echoing the last user message.
type Reply struct {
	Delay time.Duration // wait before answering (a stall, or model latency)

	// Status other than 0 and 200 sends an OpenAI error body.
	Status     int
	RetryAfter string // Retry-After header with the error
	// Headers are sent with the answer, error or not (rate-limit headers).
	Headers      map[string]string
	ErrorMessage string
	ErrorType    string
	ErrorCode    string

	Content      string // default: "You said: " + the last user message
	FinishReason string // default "stop"
	// PromptTokens and CompletionTokens are the usage reported; 0 means
	// one per word of the prompt / of the answer.
	PromptTokens, CompletionTokens int
	NoUsage                        bool // no usage, not even in a stream asked for it
	Malformed                      bool // answer with broken JSON

	// Streams: ChunkDelay paces the chunks. Cut aborts the connection
	// after CutAfter content chunks; StreamError sends {"error": …} there
	// instead. Neither sends a finish reason.
	ChunkDelay  time.Duration
	Cut         bool
	CutAfter    int
	StreamError string
}

// Request is what the server received.
type Request struct {
	Path                string
	Header              http.Header
	Model               string           `json:"model"`
	Messages            []Message        `json:"messages"`
	Stream              bool             `json:"stream"`
	StreamOptions       *StreamOptions   `json:"stream_options"`
	Temperature         *float64         `json:"temperature"`
	TopP                *float64         `json:"top_p"`
	MaxTokens           *int             `json:"max_tokens"`
	MaxCompletionTokens *int             `json:"max_completion_tokens"`
	Seed                *int64           `json:"seed"`
	Stop                []string         `json:"stop"`
	ResponseFormat      *json.RawMessage `json:"response_format"`
}

// Message is one chat message of a request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// StreamOptions is the request's stream_options.
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// Handler decides the reply to the n-th chat request (n counts from 1).
type Handler func(n int, req *Request) Reply

// Server is a running fake. Close it when done.
type Server struct {
	*httptest.Server
	handler Handler
	count   atomic.Int64
	conns   atomic.Int64
	active  atomic.Int64 // chat requests being answered now
	peak    atomic.Int64 // the most ever answered at once
	gone    atomic.Int64 // chat requests whose client went away mid-answer
	record  bool
	mu      sync.Mutex
	reqs    []Request
	models  []string
}

// SetModels makes GET /models list these model ids; with none (the
// default) that path answers 404, as servers without it do.
func (s *Server) SetModels(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.models = ids
}

func (s *Server) listModels(w http.ResponseWriter) {
	s.mu.Lock()
	ids := s.models
	s.mu.Unlock()
	if len(ids) == 0 {
		writeError(w, http.StatusNotFound, Reply{ErrorMessage: "unknown path /models", ErrorType: "invalid_request_error"})
		return
	}
	type model struct {
		ID     string `json:"id"`
		Object string `json:"object"`
	}
	list := struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}{Object: "list"}
	for _, id := range ids {
		list.Data = append(list.Data, model{ID: id, Object: "model"})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(list)
}

// New starts a server answering with h (nil: always the zero Reply) and
// recording every request.
func New(h Handler) *Server { return start(&Server{handler: h, record: true}) }

// NewUnrecorded is New without keeping requests, for long benchmarks.
func NewUnrecorded(h Handler) *Server { return start(&Server{handler: h}) }

func start(s *Server) *Server {
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	return s
}

// Connections is how many TCP connections clients opened.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// BaseURL is what a provider's base_url should be.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests is how many chat requests arrived.
func (s *Server) Requests() int { return int(s.count.Load()) }

// InFlight is how many chat requests the server is answering now (a
// handler's own included).
func (s *Server) InFlight() int { return int(s.active.Load()) }

// PeakInFlight is the most chat requests the server was answering at once,
// for tests of concurrency limits.
func (s *Server) PeakInFlight() int { return int(s.peak.Load()) }

// Abandoned is how many chat requests the client cancelled (closed the
// connection or its request's context) while the server was still
// waiting to answer or streaming: what a caller's cancel looks like from
// the server.
func (s *Server) Abandoned() int { return int(s.gone.Load()) }

// Received returns the recorded requests in arrival order.
func (s *Server) Received() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/models") {
		s.listModels(w)
		return
	}
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		writeError(w, http.StatusNotFound, Reply{ErrorMessage: "unknown path " + r.URL.Path, ErrorType: "invalid_request_error"})
		return
	}
	var req Request
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, Reply{ErrorMessage: "bad JSON: " + err.Error(), ErrorType: "invalid_request_error"})
		return
	}
	req.Path, req.Header = r.URL.Path, r.Header.Clone()
	n := int(s.count.Add(1))
	now := s.active.Add(1)
	defer s.active.Add(-1)
	for p := s.peak.Load(); now > p && !s.peak.CompareAndSwap(p, now); p = s.peak.Load() {
	}
	if s.record {
		s.mu.Lock()
		s.reqs = append(s.reqs, req)
		s.mu.Unlock()
	}
	var rep Reply
	if s.handler != nil {
		rep = s.handler(n, &req)
	}
	if !sleep(r, rep.Delay) {
		s.gone.Add(1)
		return
	}
	for k, v := range rep.Headers {
		w.Header().Set(k, v)
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		if rep.RetryAfter != "" {
			w.Header().Set("Retry-After", rep.RetryAfter)
		}
		writeError(w, rep.Status, rep)
		return
	}
	if rep.Content == "" {
		rep.Content = "You said: " + lastUser(req.Messages)
	}
	if rep.FinishReason == "" {
		rep.FinishReason = "stop"
	}
	if rep.PromptTokens == 0 {
		for _, m := range req.Messages {
			rep.PromptTokens += len(strings.Fields(m.Content))
		}
	}
	if rep.CompletionTokens == 0 {
		rep.CompletionTokens = len(Words(rep.Content))
	}
	if req.Stream {
		s.stream(w, r, &req, rep)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.Malformed {
		io.WriteString(w, `{"id": "chatcmpl-bad", "choices": [{"message": {"content": "trunc`+"\n")
		return
	}
	resp := map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": req.Model,
		"choices": []any{map[string]any{
			"index": 0, "message": map[string]any{"role": "assistant", "content": rep.Content},
			"finish_reason": rep.FinishReason,
		}},
	}
	if !rep.NoUsage {
		resp["usage"] = usage(rep)
	}
	json.NewEncoder(w).Encode(resp)
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request, req *Request, rep Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fl := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		fl.Flush()
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	for i, word := range Words(rep.Content) {
		if (rep.Cut || rep.StreamError != "") && i == rep.CutAfter {
			break
		}
		if i > 0 && !sleep(r, rep.ChunkDelay) {
			s.gone.Add(1)
			return
		}
		if rep.Malformed && i == 1 {
			io.WriteString(w, "data: {\"choices\": [{\"delta\": {\"content\": \n\n")
			fl.Flush()
			return
		}
		send(chunk(map[string]any{"content": word}, nil))
	}
	switch {
	case rep.StreamError != "":
		send(map[string]any{"error": map[string]any{"message": rep.StreamError, "type": "server_error", "code": nil}})
		return
	case rep.Cut:
		panic(http.ErrAbortHandler) // drop the connection mid-body
	}
	send(chunk(map[string]any{}, rep.FinishReason))
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage && !rep.NoUsage {
		send(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": req.Model,
			"choices": []any{}, "usage": usage(rep),
		})
	}
	io.WriteString(w, "data: [DONE]\n\n")
	fl.Flush()
}

func usage(rep Reply) map[string]any {
	return map[string]any{
		"prompt_tokens": rep.PromptTokens, "completion_tokens": rep.CompletionTokens,
		"total_tokens": rep.PromptTokens + rep.CompletionTokens,
	}
}

func writeError(w http.ResponseWriter, status int, rep Reply) {
	msg := rep.ErrorMessage
	if msg == "" {
		msg = http.StatusText(status)
	}
	typ := rep.ErrorType
	if typ == "" {
		typ = "server_error"
	}
	var code any
	if rep.ErrorCode != "" {
		code = rep.ErrorCode
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code}})
}

// sleep waits d unless the client goes away first; it reports whether to
// carry on.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func lastUser(msgs []Message) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == "user" {
			return msgs[i].Content
		}
	}
	return ""
}

// Words splits s into the pieces a stream sends: each word with the space
// before it, so that they concatenate back to s.
func Words(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' && s[i-1] != ' ' {
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
