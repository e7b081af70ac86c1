using MetaJit.Lox.Bytecode;
using MetaJit.Lox.Scanning;

namespace MetaJit.Lox.Compiling;

/// <summary>Scopes and name resolution: locals, upvalues, globals (clox's resolveLocal, resolveUpvalue, ...).</summary>
public sealed partial class Compiler
{
    /// <summary>A constant holding an interned name (property, method, superclass method).</summary>
    private int NameConstant(Token name) => MakeConstant(_vm.Strings.Intern(name.Lexeme));

    /// <summary>A constant for a variable name: the global's cell, where clox stores the name string.
    /// Added per mention, like clox (no deduplication), so the constant count matches.</summary>
    private int VariableConstant(string name) => MakeConstant(_vm.Globals.CellFor(_vm.Strings.Intern(name)));

    private int VariableConstant(Token name) => VariableConstant(name.Lexeme);

    private void BeginScope() => _function.ScopeDepth++;

    private void EndScope()
    {
        FunctionState fn = _function;
        fn.ScopeDepth--;
        while (fn.LocalCount > 0 && fn.Locals[fn.LocalCount - 1].Depth > fn.ScopeDepth)
        {
            if (fn.Locals[fn.LocalCount - 1].IsCaptured) EmitOp(OpCode.CloseUpvalue, -1);
            else EmitOp(OpCode.Pop, -1);
            fn.LocalCount--;
        }
    }

    private void NamedVariable(string name, bool canAssign)
    {
        OpCode getOp, setOp;
        int arg = ResolveLocal(_function, name);
        if (arg != -1)
        {
            getOp = OpCode.GetLocal;
            setOp = OpCode.SetLocal;
        }
        else if ((arg = ResolveUpvalue(_function, name)) != -1)
        {
            getOp = OpCode.GetUpvalue;
            setOp = OpCode.SetUpvalue;
        }
        else
        {
            arg = VariableConstant(name);
            getOp = OpCode.GetGlobal;
            setOp = OpCode.SetGlobal;
        }

        if (canAssign && Match(TokenType.Equal))
        {
            Expression();
            EmitOp(setOp, arg, 0);
        }
        else
        {
            EmitOp(getOp, arg, +1);
        }
    }

    private int ResolveLocal(FunctionState fn, string name)
    {
        for (int i = fn.LocalCount - 1; i >= 0; i--)
        {
            Local local = fn.Locals[i];
            if (local.Name == name)
            {
                if (local.Depth == -1) Error("Can't read local variable in its own initializer.");
                return i;
            }
        }
        return -1;
    }

    private int AddUpvalue(FunctionState fn, int index, bool isLocal)
    {
        int count = fn.UpvalueCount;
        for (int i = 0; i < count; i++)
        {
            if (fn.Upvalues[i].Index == index && fn.Upvalues[i].IsLocal == isLocal) return i;
        }
        if (count == FunctionState.MaxSlots)
        {
            Error("Too many closure variables in function.");
            return 0;
        }
        fn.Upvalues[count] = new UpvalueRef(index, isLocal);
        return fn.UpvalueCount++;
    }

    private int ResolveUpvalue(FunctionState fn, string name)
    {
        if (fn.Enclosing == null) return -1;
        int local = ResolveLocal(fn.Enclosing, name);
        if (local != -1)
        {
            fn.Enclosing.Locals[local].IsCaptured = true;
            return AddUpvalue(fn, (byte)local, true);
        }
        int upvalue = ResolveUpvalue(fn.Enclosing, name);
        if (upvalue != -1) return AddUpvalue(fn, (byte)upvalue, false);
        return -1;
    }

    private void AddLocal(string name)
    {
        if (_function.LocalCount == FunctionState.MaxSlots)
        {
            Error("Too many local variables in function.");
            return;
        }
        _function.Locals[_function.LocalCount++] = new Local(name, -1);
    }

    private void DeclareVariable()
    {
        if (_function.ScopeDepth == 0) return;
        string name = _previous.Lexeme;
        for (int i = _function.LocalCount - 1; i >= 0; i--)
        {
            Local local = _function.Locals[i];
            if (local.Depth != -1 && local.Depth < _function.ScopeDepth) break;
            if (local.Name == name) Error("Already a variable with this name in this scope.");
        }
        AddLocal(name);
    }

    private int ParseVariable(string errorMessage)
    {
        Consume(TokenType.Identifier, errorMessage);
        DeclareVariable();
        if (_function.ScopeDepth > 0) return 0;
        return VariableConstant(_previous);
    }

    private void MarkInitialized()
    {
        if (_function.ScopeDepth == 0) return;
        _function.Locals[_function.LocalCount - 1].Depth = _function.ScopeDepth;
    }

    private void DefineVariable(int global)
    {
        if (_function.ScopeDepth > 0)
        {
            MarkInitialized();
            return;
        }
        EmitOp(OpCode.DefineGlobal, global, -1);
    }
}
