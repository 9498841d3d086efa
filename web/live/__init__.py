"""Live updates over Socket.IO (namespace /live).

Data path: the keeper publishes on keeper/bus (in-process, or Redis pub/sub channel
`flashkeeper:<stream>`). Every web process subscribes to the bus itself, keeps the latest values
for the REST API, and fans each stream out to its own clients through a throttle (one batched
emit per stream per 1/stream_hz seconds, so <= 10 Hz per stream per client). Events that
originate in a web process (control changes) go through Flask-SocketIO's message queue (Redis
when configured) and so reach the clients of every web process. A logout is announced on the
bus stream "session": each web process disconnects that user's sockets."""
