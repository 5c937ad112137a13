/*
 * A closed-loop gRPC load generator for bench:engine, in C over libnghttp2
 * (the HTTP/2 library of h2load and of node:http2).
 *
 *   rank-load HOST PORT PATH REQUESTS CONCURRENCY DURATION_MS
 *
 * REQUESTS is a file of gRPC-framed messages back to back (flag byte, 4-byte
 * big-endian length, message); calls take them in turn. CONCURRENCY calls
 * stay in flight on one connection until DURATION_MS has passed, then the
 * calls in flight finish. Every reply is checked: HTTP status 200,
 * grpc-status 0, and one gRPC frame whose length matches the bytes received.
 * Prints one JSON object: calls, failed, rps, p50_ms, p99_ms, cpu_us (this
 * process's user + system CPU over the run), first_error. A failure to
 * connect or a broken connection ends it with status 1 and a line on stderr.
 *
 * Why C: the load generator shares the machine's cores with the server it
 * measures. node:http2 spent ~90 µs of CPU per 74 KB call here, this about
 * a third of that, so more of the two cores go to the server under test.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WINDOW (8 << 20)

struct call {
  const uint8_t *body;
  size_t body_len, sent;
  double started;
  size_t received;
  uint8_t head[5];
  int saw_status;
  char problem[200];
};

static const uint8_t **bodies;
static size_t *body_lens;
static size_t body_count, next_body;
static double end_at;
static double *latencies;
static size_t latency_count, latency_cap;
static long failed;
static char first_error[200];
static double last_done;
static int in_flight;
static nghttp2_session *session;
static const char *authority, *path;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double cpu_us(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

static void die(const char *what) {
  fprintf(stderr, "rank-load: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void note(struct call *c, const char *fmt, const char *detail) {
  if (c->problem[0] == 0) snprintf(c->problem, sizeof c->problem, fmt, detail);
}

static ssize_t read_body(nghttp2_session *s, int32_t stream_id, uint8_t *buf, size_t length, uint32_t *flags,
                         nghttp2_data_source *source, void *user_data) {
  (void)s, (void)stream_id, (void)user_data;
  struct call *c = source->ptr;
  size_t n = c->body_len - c->sent;
  if (n > length) n = length;
  memcpy(buf, c->body + c->sent, n);
  c->sent += n;
  if (c->sent == c->body_len) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return (ssize_t)n;
}

static nghttp2_nv header(const char *name, const char *value) {
  return (nghttp2_nv){(uint8_t *)name, (uint8_t *)value, strlen(name), strlen(value), NGHTTP2_NV_FLAG_NONE};
}

static void start_call(struct call *c) {
  nghttp2_nv headers[] = {
      header(":method", "POST"),           header(":scheme", "http"), header(":path", path),
      header(":authority", authority),     header("content-type", "application/grpc"),
      header("te", "trailers"),            header("grpc-timeout", "5S"),
  };
  memset(c, 0, sizeof *c);
  c->body = bodies[next_body % body_count];
  c->body_len = body_lens[next_body % body_count];
  next_body++;
  c->started = now_ms();
  nghttp2_data_provider data = {.source.ptr = c, .read_callback = read_body};
  if (nghttp2_submit_request(session, NULL, headers, sizeof headers / sizeof headers[0], &data, c) < 0) {
    fprintf(stderr, "rank-load: could not submit a request\n");
    exit(1);
  }
  in_flight++;
}

static int on_header(nghttp2_session *s, const nghttp2_frame *frame, const uint8_t *name, size_t namelen,
                     const uint8_t *value, size_t valuelen, uint8_t flags, void *user_data) {
  (void)flags, (void)user_data;
  struct call *c = nghttp2_session_get_stream_user_data(s, frame->hd.stream_id);
  if (c == NULL) return 0;
  char v[160];
  snprintf(v, sizeof v, "%.*s", (int)valuelen, value);
  if (namelen == 7 && memcmp(name, ":status", 7) == 0 && strcmp(v, "200") != 0) note(c, "HTTP %s", v);
  if (namelen == 11 && memcmp(name, "grpc-status", 11) == 0) {
    c->saw_status = 1;
    if (strcmp(v, "0") != 0) note(c, "grpc-status %s", v);
  }
  if (namelen == 12 && memcmp(name, "grpc-message", 12) == 0 && c->problem[0] != 0) {
    size_t used = strlen(c->problem);
    snprintf(c->problem + used, sizeof c->problem - used, ": %s", v);
  }
  return 0;
}

static int on_data(nghttp2_session *s, uint8_t flags, int32_t stream_id, const uint8_t *data, size_t len, void *user_data) {
  (void)flags, (void)user_data;
  struct call *c = nghttp2_session_get_stream_user_data(s, stream_id);
  if (c == NULL) return 0;
  for (size_t i = 0; c->received + i < 5 && i < len; i++) c->head[c->received + i] = data[i];
  c->received += len;
  return 0;
}

static int on_close(nghttp2_session *s, int32_t stream_id, uint32_t error_code, void *user_data) {
  (void)user_data;
  struct call *c = nghttp2_session_get_stream_user_data(s, stream_id);
  if (c == NULL) return 0;
  double t = now_ms();
  if (error_code != 0) note(c, "stream reset with code %s", nghttp2_http2_strerror(error_code));
  if (!c->saw_status) note(c, "%s", "stream closed without a gRPC status");
  uint32_t framed = 5 + ((uint32_t)c->head[1] << 24 | (uint32_t)c->head[2] << 16 | (uint32_t)c->head[3] << 8 | c->head[4]);
  if (c->problem[0] == 0 && (c->received < 5 || framed != c->received)) note(c, "%s", "a reply that is not one gRPC message");
  if (c->problem[0] == 0) {
    if (latency_count == latency_cap) {
      latency_cap = latency_cap ? 2 * latency_cap : 65536;
      latencies = realloc(latencies, latency_cap * sizeof *latencies);
      if (latencies == NULL) die("realloc");
    }
    latencies[latency_count++] = t - c->started;
  } else {
    failed++;
    if (first_error[0] == 0) snprintf(first_error, sizeof first_error, "%s", c->problem);
  }
  last_done = t;
  in_flight--;
  if (t < end_at) start_call(c);
  return 0;
}

static void read_requests(const char *file) {
  FILE *f = fopen(file, "rb");
  if (f == NULL) die(file);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  rewind(f);
  uint8_t *all = malloc(size);
  if (all == NULL || fread(all, 1, size, f) != (size_t)size) die(file);
  fclose(f);
  size_t cap = 16;
  bodies = malloc(cap * sizeof *bodies);
  body_lens = malloc(cap * sizeof *body_lens);
  for (long at = 0; at + 5 <= size;) {
    size_t len = 5 + ((size_t)all[at + 1] << 24 | (size_t)all[at + 2] << 16 | (size_t)all[at + 3] << 8 | all[at + 4]);
    if (at + (long)len > size) break;
    if (body_count == cap) {
      cap *= 2;
      bodies = realloc(bodies, cap * sizeof *bodies);
      body_lens = realloc(body_lens, cap * sizeof *body_lens);
    }
    bodies[body_count] = all + at;
    body_lens[body_count++] = len;
    at += len;
  }
  if (body_count == 0) {
    fprintf(stderr, "rank-load: %s holds no gRPC-framed message\n", file);
    exit(2);
  }
}

static int connect_to(const char *host, const char *port) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
  if (getaddrinfo(host, port, &hints, &res) != 0) die("getaddrinfo");
  int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) die("connect");
  freeaddrinfo(res);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double quantile(double p) {
  if (latency_count == 0) return -1;
  size_t i = (size_t)(p * latency_count);
  return latencies[i < latency_count ? i : latency_count - 1];
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: rank-load HOST PORT PATH REQUESTS CONCURRENCY DURATION_MS\n");
    return 2;
  }
  char auth[300];
  snprintf(auth, sizeof auth, "%s:%s", argv[1], argv[2]);
  authority = auth;
  path = argv[3];
  read_requests(argv[4]);
  int concurrency = atoi(argv[5]);
  double duration = atof(argv[6]);
  if (concurrency < 1 || duration <= 0) {
    fprintf(stderr, "rank-load: CONCURRENCY and DURATION_MS must be positive\n");
    return 2;
  }
  struct call *calls = calloc(concurrency, sizeof *calls);
  int fd = connect_to(argv[1], argv[2]);

  nghttp2_session_callbacks *cb;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
  nghttp2_session_client_new(&session, cb, NULL);
  nghttp2_session_callbacks_del(cb);
  // Wide windows, as rankd's own client sets: replies never wait on WINDOW_UPDATEs.
  nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, WINDOW}, {NGHTTP2_SETTINGS_ENABLE_PUSH, 0}};
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings, 2);
  nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, WINDOW);

  double cpu_start = cpu_us();
  double start = now_ms();
  end_at = start + duration;
  for (int i = 0; i < concurrency; i++) start_call(&calls[i]);

  static uint8_t in[1 << 18];
  const uint8_t *out = NULL;
  ssize_t out_len = 0;
  while (in_flight > 0) {
    // Write what nghttp2 has queued until the socket is full.
    for (;;) {
      if (out_len == 0) {
        out_len = nghttp2_session_mem_send(session, &out);
        if (out_len < 0) die("nghttp2_session_mem_send");
        if (out_len == 0) break;
      }
      ssize_t n = write(fd, out, out_len);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
      if (n < 0) die("write");
      out += n, out_len -= n;
      if (out_len > 0) break;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN | (out_len > 0 ? POLLOUT : 0)};
    if (poll(&p, 1, 1000) < 0 && errno != EINTR) die("poll");
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(fd, in, sizeof in);
      if (n == 0) {
        errno = ECONNRESET;
        die("the server closed the connection");
      }
      if (n < 0 && errno != EAGAIN && errno != EINTR) die("read");
      if (n > 0 && nghttp2_session_mem_recv(session, in, n) < 0) die("nghttp2_session_mem_recv");
    }
  }
  double cpu = cpu_us() - cpu_start;
  double seconds = (last_done - start) / 1e3;
  qsort(latencies, latency_count, sizeof *latencies, compare);
  printf("{\"calls\":%zu,\"failed\":%ld,\"rps\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"cpu_us\":%.0f,\"first_error\":\"", latency_count + failed,
         failed, latency_count / seconds, quantile(0.5), quantile(0.99), cpu);
  for (const char *e = first_error; *e; e++) {
    if (*e == '"' || *e == '\\') putchar('\\');
    if ((unsigned char)*e >= 0x20) putchar(*e);
  }
  printf("\"}\n");
  nghttp2_session_del(session);
  close(fd);
  return 0;
}
