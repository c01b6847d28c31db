/* tsan-glib.c: makes GLib's thread hand-offs visible to ThreadSanitizer for
 * scripts/run-tsan. Preloaded (LD_PRELOAD) into the TSan-built UI test only;
 * never part of Glint itself.
 *
 * Why: libglib is not instrumented and its GMutex/GCond are futexes, so TSan
 * sees neither the locks Glint takes nor the GTask thread pool handing a job
 * to a worker and its result back to the main loop. Every access Glint makes
 * on both sides of such a hand-off then looks like a race. This file wraps
 * the few GLib entry points that Glint (and GIO/GTK) call through the PLT and
 * tells TSan about the happens-before edges they really provide, with the
 * public annotation calls __tsan_acquire/__tsan_release. It adds no locking
 * of its own, so a real race in Glint code still shows up. */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "glint-tsan"

#include <dlfcn.h>
#include <gio/gio.h>
#include <stdlib.h>

/* From libtsan; weak so that a process without TSan simply skips them. */
void __tsan_acquire(void *addr) __attribute__((weak));
void __tsan_release(void *addr) __attribute__((weak));

static void
tsan_acquire(const void *addr)
{
	if (__tsan_acquire != NULL)
		__tsan_acquire((void *)addr);
}

static void
tsan_release(const void *addr)
{
	if (__tsan_release != NULL)
		__tsan_release((void *)addr);
}

/* Children (the app under test, ImageMagick's import) must not inherit the
 * preload: they are not what this run checks. */
__attribute__((constructor)) static void
tsan_glib_init(void)
{
	unsetenv("LD_PRELOAD");
}

/* The next definition of @name after this library: libglib's or libgio's. */
static void *
real_symbol(const char *name)
{
	void *sym = dlsym(RTLD_NEXT, name);
	if (sym == NULL)
		abort();
	return sym;
}

#define REAL(type, name)                                                                           \
	static type real_##name;                                                                   \
	if (real_##name == NULL)                                                                   \
	real_##name = (type)real_symbol(#name)

/* GMutex and GRecMutex: lock acquires what the last unlock released. */
typedef void (*MutexFunc)(GMutex *mutex);
typedef gboolean (*MutexTryFunc)(GMutex *mutex);
typedef void (*RecMutexFunc)(GRecMutex *mutex);
typedef gboolean (*RecMutexTryFunc)(GRecMutex *mutex);

void
g_mutex_lock(GMutex *mutex)
{
	REAL(MutexFunc, g_mutex_lock);
	real_g_mutex_lock(mutex);
	tsan_acquire(mutex);
}

gboolean
g_mutex_trylock(GMutex *mutex)
{
	REAL(MutexTryFunc, g_mutex_trylock);
	if (!real_g_mutex_trylock(mutex))
		return FALSE;
	tsan_acquire(mutex);
	return TRUE;
}

void
g_mutex_unlock(GMutex *mutex)
{
	REAL(MutexFunc, g_mutex_unlock);
	tsan_release(mutex);
	real_g_mutex_unlock(mutex);
}

void
g_rec_mutex_lock(GRecMutex *mutex)
{
	REAL(RecMutexFunc, g_rec_mutex_lock);
	real_g_rec_mutex_lock(mutex);
	tsan_acquire(mutex);
}

gboolean
g_rec_mutex_trylock(GRecMutex *mutex)
{
	REAL(RecMutexTryFunc, g_rec_mutex_trylock);
	if (!real_g_rec_mutex_trylock(mutex))
		return FALSE;
	tsan_acquire(mutex);
	return TRUE;
}

void
g_rec_mutex_unlock(GRecMutex *mutex)
{
	REAL(RecMutexFunc, g_rec_mutex_unlock);
	tsan_release(mutex);
	real_g_rec_mutex_unlock(mutex);
}

/* GCond: waiting unlocks the mutex and locks it again before returning. */
typedef void (*CondWaitFunc)(GCond *cond, GMutex *mutex);
typedef gboolean (*CondWaitUntilFunc)(GCond *cond, GMutex *mutex, gint64 end_time);

void
g_cond_wait(GCond *cond, GMutex *mutex)
{
	REAL(CondWaitFunc, g_cond_wait);
	tsan_release(mutex);
	real_g_cond_wait(cond, mutex);
	tsan_acquire(mutex);
}

gboolean
g_cond_wait_until(GCond *cond, GMutex *mutex, gint64 end_time)
{
	gboolean signalled;
	REAL(CondWaitUntilFunc, g_cond_wait_until);
	tsan_release(mutex);
	signalled = real_g_cond_wait_until(cond, mutex, end_time);
	tsan_acquire(mutex);
	return signalled;
}

/* GTask threads: the caller's writes before g_task_run_in_thread() happen
 * before the task function; the task function happens before anything the
 * owner reads back from the finished task (its data, its result). */
typedef void (*RunInThreadFunc)(GTask *task, GTaskThreadFunc func);

static GQuark
task_func_quark(void)
{
	static GQuark quark;
	if (quark == 0)
		quark = g_quark_from_static_string("glint-tsan-task-func");
	return quark;
}

typedef struct {
	GTaskThreadFunc func;
} TaskFunc;

static void
task_trampoline(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	TaskFunc *tf;
	tsan_acquire(task);
	tf = g_object_get_qdata(G_OBJECT(task), task_func_quark());
	tf->func(task, source, task_data, cancellable);
	/* GTask schedules the callback only after the function returned. */
	tsan_release(task);
}

static void
run_with_trampoline(GTask *task, GTaskThreadFunc func, RunInThreadFunc real)
{
	TaskFunc *tf = g_new0(TaskFunc, 1);
	tf->func = func;
	g_object_set_qdata_full(G_OBJECT(task), task_func_quark(), tf, g_free);
	tsan_release(task);
	real(task, task_trampoline);
}

void
g_task_run_in_thread(GTask *task, GTaskThreadFunc task_func)
{
	REAL(RunInThreadFunc, g_task_run_in_thread);
	run_with_trampoline(task, task_func, real_g_task_run_in_thread);
}

void
g_task_run_in_thread_sync(GTask *task, GTaskThreadFunc task_func)
{
	REAL(RunInThreadFunc, g_task_run_in_thread_sync);
	run_with_trampoline(task, task_func, real_g_task_run_in_thread_sync);
	tsan_acquire(task);
}

typedef gpointer (*TaskGetFunc)(GTask *task);
typedef gboolean (*TaskPropagateBooleanFunc)(GTask *task, GError **error);
typedef gpointer (*TaskPropagatePointerFunc)(GTask *task, GError **error);
typedef gssize (*TaskPropagateIntFunc)(GTask *task, GError **error);

gpointer
g_task_get_task_data(GTask *task)
{
	REAL(TaskGetFunc, g_task_get_task_data);
	tsan_acquire(task);
	return real_g_task_get_task_data(task);
}

gboolean
g_task_propagate_boolean(GTask *task, GError **error)
{
	REAL(TaskPropagateBooleanFunc, g_task_propagate_boolean);
	tsan_acquire(task);
	return real_g_task_propagate_boolean(task, error);
}

gpointer
g_task_propagate_pointer(GTask *task, GError **error)
{
	REAL(TaskPropagatePointerFunc, g_task_propagate_pointer);
	tsan_acquire(task);
	return real_g_task_propagate_pointer(task, error);
}

gssize
g_task_propagate_int(GTask *task, GError **error)
{
	REAL(TaskPropagateIntFunc, g_task_propagate_int);
	tsan_acquire(task);
	return real_g_task_propagate_int(task, error);
}
