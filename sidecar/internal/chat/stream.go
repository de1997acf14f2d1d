package chat

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// DefaultDeltaInterval spaces chat_delta broadcasts: at most five a second per turn.
const DefaultDeltaInterval = 200 * time.Millisecond

// deltaStream turns an agent's text pieces into throttled chat_delta broadcasts on the user's
// channel. Pieces are buffered and sent at most once per interval; an answer that is complete
// within the first interval sends no delta at all (the chat_message broadcast carries it). Deltas
// are best effort: the committed reply row is the truth, so a failed broadcast is logged, not fatal.
type deltaStream struct {
	ctx       context.Context
	e         *Engine
	userID    string
	messageID string
	convID    string

	mu       sync.Mutex
	buf      strings.Builder
	last     time.Time
	seq      int
	produced bool
}

func (e *Engine) newStream(ctx context.Context, tc *turnContext) *deltaStream {
	return &deltaStream{ctx: ctx, e: e, userID: tc.Message.UserID, messageID: tc.Message.ID,
		convID: tc.Message.ConversationID, last: e.now()}
}

// Send is the agents.Stream callback.
func (s *deltaStream) Send(delta string) {
	if delta == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.WriteString(delta)
	s.produced = true
	if s.e.now().Sub(s.last) >= s.e.deltaInterval {
		s.flushLocked()
	}
}

// Close sends what is buffered if streaming had started (the user is watching a partial answer).
func (s *deltaStream) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seq > 0 && s.buf.Len() > 0 {
		s.flushLocked()
	}
}

// Reset forgets buffered text (an agent failed half-way and the turn is answered differently).
func (s *deltaStream) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seq > 0 {
		s.seq++
		s.broadcastLocked(map[string]any{"reset": true})
	}
	s.buf.Reset()
}

func (s *deltaStream) flushLocked() {
	s.seq++
	s.broadcastLocked(map[string]any{"delta": s.buf.String()})
	s.buf.Reset()
	s.last = s.e.now()
}

func (s *deltaStream) broadcastLocked(extra map[string]any) {
	payload := map[string]any{"message_id": s.messageID, "conversation_id": s.convID, "seq": s.seq}
	for k, v := range extra {
		payload[k] = v
	}
	raw, _ := json.Marshal(payload)
	if _, err := s.e.pool.Exec(s.ctx, "select private.broadcast($1::uuid, 'chat_delta', $2::jsonb)", s.userID, string(raw)); err != nil {
		s.e.log.WarnContext(s.ctx, "chat_delta broadcast failed", "error", err, slog.Int("seq", s.seq))
		return
	}
	s.e.deltas.Add(1)
}
