package aggregator

import "github.com/nashra-ma/nashra/config"

// redactedError is an error whose message is safe to show and log: the
// source's credentials and the secret parts of every URL in it removed (a
// *url.Error names the URL it fetched). Unwrap keeps the cause for errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redact(src *config.Source, err error) error {
	if _, done := err.(*redactedError); done {
		return err
	}
	msg := src.Redact(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}
