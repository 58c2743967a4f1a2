package storage

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// repairIfDead rolls back a batch whose writer died, if there is one.
func (e *Etcd) repairIfDead(ctx context.Context) error {
	resp, err := e.client.Get(ctx, e.pendingKey())
	if err != nil {
		return fmt.Errorf("read the pending marker: %w", err)
	}
	if len(resp.Kvs) == 0 {
		return nil
	}
	p := resp.Kvs[0]
	id, perr := strconv.ParseInt(string(p.Value), 16, 64)
	if perr == nil {
		ttl, err := e.client.TimeToLive(ctx, clientv3.LeaseID(id))
		if err != nil {
			return fmt.Errorf("check the pending batch's writer: %w", err)
		}
		if ttl.TTL > 0 {
			return nil // a live writer is at it
		}
	}
	return e.repair(ctx, p)
}

// rollbackOwn rolls back this writer's own batch (marker value token), if
// its marker is still there.
func (e *Etcd) rollbackOwn(ctx context.Context, token string) error {
	resp, err := e.client.Get(ctx, e.pendingKey())
	if err != nil {
		return fmt.Errorf("storage: etcd: roll back: %w", err)
	}
	if len(resp.Kvs) == 0 || string(resp.Kvs[0].Value) != token {
		return nil
	}
	return e.repair(ctx, resp.Kvs[0])
}

// repair rolls back the batch behind marker pending: every key it changed
// (etcd's history from the marker's creation to its last put) gets back its
// value from just before, or is deleted if it had none; then the marker
// goes. Every step is guarded by the marker being unchanged, so two repairers
// or a writer that was only slow cannot interleave with it.
func (e *Etcd) repair(ctx context.Context, pending *mvccKV) error {
	first, last := pending.CreateRevision, pending.ModRevision
	changed, err := e.changedKeys(ctx, first, last)
	if err != nil {
		return err
	}
	var restore []etcdOp
	for i := 0; i < len(changed); i += e.limits.ops {
		keys := changed[i:min(i+e.limits.ops, len(changed))]
		gets := make([]clientv3.Op, len(keys))
		for j, k := range keys {
			gets[j] = clientv3.OpGet(k, clientv3.WithRev(first-1))
		}
		resp, err := e.client.Txn(ctx).Then(gets...).Commit()
		if err != nil {
			return fmt.Errorf("storage: etcd: repair: read the values before revision %d: %w", first, e.closed(err))
		}
		for j, r := range resp.Responses {
			if kv := r.GetResponseRange().Kvs; len(kv) > 0 {
				restore = append(restore, etcdOp{key: []byte(keys[j]), value: kv[0].Value})
			} else {
				restore = append(restore, etcdOp{key: []byte(keys[j]), del: true})
			}
		}
	}
	chunks, err := etcdChunks([]*phase{{puts: map[string][]byte{}, dels: restore}}, e.limits.ops-1, e.limits.bytes-4096)
	if err != nil {
		return fmt.Errorf("storage: etcd: repair: %w", err)
	}
	chunks = append(chunks, nil) // the last transaction drops the marker
	guard := []clientv3.Cmp{
		clientv3.Compare(clientv3.Value(e.pendingKey()), "=", string(pending.Value)),
		clientv3.Compare(clientv3.ModRevision(e.pendingKey()), "=", last),
	}
	for i, c := range chunks {
		ops := toClientOps(c)
		if i == len(chunks)-1 {
			ops = append(ops, clientv3.OpDelete(e.pendingKey()))
		}
		resp, err := e.client.Txn(ctx).If(guard...).Then(ops...).Commit()
		if err != nil {
			return fmt.Errorf("storage: etcd: repair: %w", e.closed(err))
		}
		if !resp.Succeeded {
			return nil // another repairer (or the writer itself) got there first
		}
	}
	return nil
}

// changedKeys lists the table keys written or deleted in revisions
// [first, last], from etcd's history.
func (e *Etcd) changedKeys(ctx context.Context, first, last int64) ([]string, error) {
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	own := e.prefix + "!"
	seen := map[string]bool{}
	for resp := range e.client.Watch(wctx, e.prefix, clientv3.WithPrefix(), clientv3.WithRev(first)) {
		if resp.CompactRevision != 0 {
			return nil, fmt.Errorf("storage: etcd: a batch interrupted at revision %d cannot be rolled back: etcd compacted the history it needs (up to revision %d); restore a backup", first, resp.CompactRevision)
		}
		if err := resp.Err(); err != nil {
			return nil, fmt.Errorf("storage: etcd: repair: read history from revision %d: %w", first, e.closed(err))
		}
		done := false
		for _, ev := range resp.Events {
			if ev.Kv.ModRevision > last {
				done = true
				break
			}
			if ev.Kv.ModRevision == last {
				done = true // etcd sends one revision's events together
			}
			if k := string(ev.Kv.Key); !strings.HasPrefix(k, own) {
				seen[k] = true
			}
		}
		if done {
			keys := make([]string, 0, len(seen))
			for k := range seen {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			return keys, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("storage: etcd: repair: the history watch from revision %d ended early", first)
}
