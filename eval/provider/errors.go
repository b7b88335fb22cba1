package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// Causes an *Error unwraps to, for errors.Is; a cancelled call unwraps to
// ctx's error (context.Canceled or context.DeadlineExceeded).
var (
	ErrTimeout        = errors.New("timed out")
	ErrConnection     = errors.New("connection failed")
	ErrStreamCut      = errors.New("stream ended before the model finished")
	ErrStreamError    = errors.New("error inside the stream")
	ErrMalformed      = errors.New("malformed response")
	ErrInvalidRequest = errors.New("invalid request")
	ErrHTTP           = errors.New("HTTP error status")
)

// Error is a failed call. Its text names the provider, the model and the
// HTTP status, and says what to do where it can; the API key never
// appears in it, even when a server echoes it back.
type Error struct {
	Provider string
	Model    string
	Status   int    // HTTP status; 0 when none applies
	Code     string // the API's error code or type, e.g. "rate_limit_exceeded"
	Message  string
	KeyEnv   string // with 401 and 403: the variable the key came from
	Attempts int

	cause     error
	retryable bool
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s: ", e.Provider, e.Model)
	if e.Status > 0 {
		fmt.Fprintf(&b, "HTTP %d", e.Status)
		if t := http.StatusText(e.Status); t != "" {
			b.WriteString(" " + t)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	switch {
	case e.Status == http.StatusUnauthorized && e.KeyEnv != "":
		fmt.Fprintf(&b, "; set a valid API key in %s", e.KeyEnv)
	case e.Status == http.StatusUnauthorized:
		fmt.Fprintf(&b, "; the server wants an API key: set api_key_env for provider %s", e.Provider)
	case e.Status == http.StatusForbidden && e.KeyEnv != "":
		fmt.Fprintf(&b, "; the key in %s may lack access to this model", e.KeyEnv)
	case e.Status == http.StatusNotFound:
		b.WriteString("; check the model name and the provider's base_url")
	case e.Code == "insufficient_quota":
		b.WriteString("; the account's quota is used up: retrying will not help")
	}
	return b.String()
}

// Unwrap returns the cause: one of the Err* values of this package, or
// ctx's error when the call was cancelled.
func (e *Error) Unwrap() error { return e.cause }

// maxMessage bounds how much of a server's error text is kept.
const maxMessage = 500

// fail turns what go-openai, net/http or the stream reader returned into
// an *Error, deciding whether a retry may help.
func (p *Provider) fail(model, key string, a *attempt, err error, attempts int) *Error {
	e := &Error{Provider: p.name, Model: model, Attempts: attempts, cause: err}
	partial := 0
	if a != nil {
		e.Status = a.status
		partial = utf8.RuneCountInString(a.output)
	}
	var (
		apiErr *openai.APIError
		reqErr *openai.RequestError
		netErr net.Error
		synErr *json.SyntaxError
		typErr *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, errTimeout) || (a != nil && a.timedOut):
		e.cause, e.retryable = ErrTimeout, true
		e.Message = fmt.Sprintf("no answer within %s (the provider's timeout)", p.timeout)
		if partial > 0 {
			e.Message = fmt.Sprintf("stream stalled for %s after %d characters", p.timeout, partial)
		}
	case errors.As(err, &apiErr):
		if apiErr.HTTPStatusCode > 0 {
			e.Status = apiErr.HTTPStatusCode
		}
		e.Message, e.Code = apiErr.Message, apiCode(apiErr)
		if e.Message == "" {
			e.Message = "the server gave no reason"
		}
		if e.Status == 0 {
			// {"error": …} sent inside an HTTP 200 stream.
			e.cause, e.retryable = ErrStreamError, apiErr.Type != "invalid_request_error"
			e.Message = "error inside the stream: " + e.Message
		} else {
			e.cause = ErrHTTP
		}
	case errors.As(err, &reqErr):
		e.Status, e.cause = reqErr.HTTPStatusCode, ErrHTTP
		e.Message = strings.Join(strings.Fields(string(reqErr.Body)), " ")
		if e.Message == "" {
			e.Message = "the server gave no reason"
		}
	case errors.Is(err, ErrStreamCut):
		e.retryable = true // only taken when nothing was delivered
		e.Message = fmt.Sprintf("stream ended before the model finished (%d characters received)", partial)
	case errors.Is(err, ErrMalformed), errors.As(err, &synErr), errors.As(err, &typErr):
		e.cause = ErrMalformed
		e.Message = "malformed response: " + err.Error()
	case errors.Is(err, ErrInvalidRequest):
		e.Message = err.Error()
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.As(err, &netErr):
		e.retryable = true
		if partial > 0 {
			e.cause = ErrStreamCut
			e.Message = fmt.Sprintf("stream cut after %d characters: %s", partial, transportText(err))
		} else {
			e.cause = ErrConnection
			e.Message = fmt.Sprintf("connection to %s failed: %s", redactURL(p.baseURL), transportText(err))
		}
	default:
		e.Message = err.Error()
	}
	if e.Status != 0 {
		e.retryable = retryableStatus(e.Status) && e.Code != "insufficient_quota"
	}
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		e.KeyEnv = p.keyEnv
	}
	e.Message = truncate(redact(e.Message, key), maxMessage)
	return e
}

func retryableStatus(s int) bool {
	return s == http.StatusRequestTimeout || s == http.StatusConflict || s == http.StatusTooManyRequests || s >= 500
}

func apiCode(e *openai.APIError) string {
	switch c := e.Code.(type) {
	case string:
		if c != "" {
			return c
		}
	case int:
		return strconv.Itoa(c)
	}
	return e.Type
}

// transportText is a transport error without the request URL url.Error
// puts in front.
func transportText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// redact removes the API key from s; servers sometimes quote it back.
func redact(s, key string) string {
	if key == "" {
		return s
	}
	return strings.ReplaceAll(s, key, "[redacted]")
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.Redacted()
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// parseRetryAfter reads how long the server asked us to wait: OpenAI's
// retry-after-ms, else Retry-After in seconds or as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && ms < 1e9 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		s = min(s, 1e6) // the caller caps it much lower
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
