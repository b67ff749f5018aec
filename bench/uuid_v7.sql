-- UUID v7 (time-ordered), as the server's `new_id()` makes them: random v4 ids would scatter
-- the raw-SQL inserts over the primary-key indexes while the API's land at the right edge.
-- PostgreSQL 15 has no uuidv7(); this is the usual overlay of a millisecond timestamp.
create or replace function bench_uuid_v7() returns uuid
language sql volatile parallel safe as $$
    select encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                    from 1 for 6),
            52, 1), 53, 1),
        'hex')::uuid
$$;
