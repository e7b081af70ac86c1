using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace MetaJit;

/// <summary>
/// Deep recursion without killing the process. A .NET stack overflow cannot be caught, so an interpreter
/// runs the user program on a thread with a large stack (<see cref="Run{T}"/>) and checks, at each call it
/// makes for the user program, that there is room left (<see cref="RecursionGuard"/> or
/// <see cref="HasStackRoom"/>), turning a miss into the language's own error.
/// <code>
/// int exit = DeepRecursion.Run(() => interpreter.Main(args));
/// ...
/// if (!guard.TryEnter()) throw new LoxRuntimeError("Stack overflow.");
/// try { ... } finally { guard.Leave(); }
/// </code>
/// </summary>
public static class DeepRecursion
{
    /// <summary>The stack reserved by <see cref="Run{T}"/> unless told otherwise: 1 GiB, the runtime's maximum.
    /// It is only reserved address space; pages are committed as the stack grows.</summary>
    public const int DefaultStackBytes = 1 << 30;

    /// <summary>
    /// Runs <paramref name="body"/> on a new thread with a stack of <paramref name="stackBytes"/> and waits for it.
    /// Its result is returned and its exception rethrown here with the original stack trace.
    /// </summary>
    public static T Run<T>(Func<T> body, int stackBytes = DefaultStackBytes)
    {
        ArgumentNullException.ThrowIfNull(body);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { result = body(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }, stackBytes);
        thread.Name = "metajit-deep-stack";
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// True while the current thread's stack has room for more frames (a cheap check of the stack pointer
    /// against the thread's limit, with a safety margin). A safety net for code whose depth is not counted.
    /// </summary>
    public static bool HasStackRoom() => RuntimeHelpers.TryEnsureSufficientExecutionStack();
}
