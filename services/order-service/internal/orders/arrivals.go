package orders

import "sync"

// arrivals lets a request wait for a user's sign-up to be consumed: a client that signed up
// a moment ago may post an order before the UserSignupEvent has reached this service.
type arrivals struct {
	mu      sync.Mutex
	waiting map[string][]chan struct{}
}

func newArrivals() *arrivals {
	return &arrivals{waiting: make(map[string][]chan struct{})}
}

// subscribe returns a channel that is closed when userID is announced, and a func that
// withdraws the subscription.
func (a *arrivals) subscribe(userID string) (<-chan struct{}, func()) {
	ch := make(chan struct{})
	a.mu.Lock()
	a.waiting[userID] = append(a.waiting[userID], ch)
	a.mu.Unlock()
	return ch, func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		chans := a.waiting[userID]
		for i, c := range chans {
			if c == ch {
				a.waiting[userID] = append(chans[:i], chans[i+1:]...)
				break
			}
		}
		if len(a.waiting[userID]) == 0 {
			delete(a.waiting, userID)
		}
	}
}

// announce wakes everyone waiting for userID.
func (a *arrivals) announce(userID string) {
	a.mu.Lock()
	chans := a.waiting[userID]
	delete(a.waiting, userID)
	a.mu.Unlock()
	for _, ch := range chans {
		close(ch)
	}
}
