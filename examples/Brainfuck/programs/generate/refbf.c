/* Reference Brainfuck interpreter in C (same semantics as refbf.py, used for
 * the long-running mandel.b).  No optimisation/folding: every command is
 * executed individually and counted.
 *
 *   cells are bytes that wrap; tape starts with 30000 zero cells and grows to
 *   the right on demand; moving left of cell 0 is an error; ',' at EOF leaves
 *   the cell unchanged; non-command characters are comments.
 *
 * Build: gcc -O2 -o refbf refbf.c
 * Usage: ./refbf PROGRAM.b [INPUT_FILE] > OUTPUT   (command count on stderr)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: refbf PROGRAM.b [INPUT]\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    size_t cap = 1 << 16, len = 0;
    char *prog = malloc(cap);
    int ch;
    while ((ch = fgetc(f)) != EOF) {
        if (!strchr("+-<>[].,", ch) || ch == 0) continue;
        if (len == cap) { cap *= 2; prog = realloc(prog, cap); }
        prog[len++] = (char)ch;
    }
    fclose(f);
    FILE *in = stdin;
    if (argc > 2) { in = fopen(argv[2], "rb"); if (!in) { perror(argv[2]); return 2; } }

    size_t *match = malloc((len + 1) * sizeof *match);
    size_t *stack = malloc((len + 1) * sizeof *stack);
    size_t sp = 0;
    for (size_t i = 0; i < len; i++) {
        if (prog[i] == '[') stack[sp++] = i;
        else if (prog[i] == ']') {
            if (!sp) { fprintf(stderr, "unmatched ] at command %zu\n", i); return 1; }
            size_t j = stack[--sp];
            match[i] = j; match[j] = i;
        }
    }
    if (sp) { fprintf(stderr, "unmatched [ at command %zu\n", stack[sp - 1]); return 1; }

    size_t tlen = 30000, ptr = 0;
    unsigned char *tape = calloc(tlen, 1);
    unsigned long long steps = 0;
    for (size_t pc = 0; pc < len; pc++) {
        steps++;
        switch (prog[pc]) {
        case '+': tape[ptr]++; break;
        case '-': tape[ptr]--; break;
        case '>':
            if (++ptr == tlen) {
                tape = realloc(tape, tlen * 2);
                memset(tape + tlen, 0, tlen);
                tlen *= 2;
            }
            break;
        case '<':
            if (ptr == 0) { fflush(stdout); fprintf(stderr, "moved left of cell 0 at command %zu\n", pc); return 1; }
            ptr--;
            break;
        case '[': if (!tape[ptr]) pc = match[pc]; break;
        case ']': if (tape[ptr]) pc = match[pc]; break;
        case '.': putchar(tape[ptr]); break;
        case ',': { int c = getc(in); if (c != EOF) tape[ptr] = (unsigned char)c; } break;
        }
    }
    fflush(stdout);
    fprintf(stderr, "executed commands: %llu\n", steps);
    return 0;
}
