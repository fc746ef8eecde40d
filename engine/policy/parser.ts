/**
 * Recursive-descent parser of `stella-dsl@1` (grammar: GRAMMAR.md). It reports every syntax error with
 * its position and recovers at the next rule or section, so one typo does not hide the rest of the
 * file's problems. The AST keeps spans for lint messages and the editor; the compiled IR does not.
 */
import { COMPARISON_OPERATORS, SYNTAX_ID, type ComparisonOperator } from './language';
import { tokenize, type Diagnostic, type Position, type Span, type Token } from './syntax';

export interface LiteralNode {
  kind: 'literal';
  type: 'string' | 'number' | 'bool' | 'date';
  value: string | number | boolean;
  /** The source text (dates keep their spelling; strings their quotes). */
  text: string;
  span: Span;
}

export interface ListNode {
  kind: 'list';
  items: ExprNode[];
  span: Span;
}

export interface PathNode {
  kind: 'path';
  segments: string[];
  span: Span;
}

export interface CallNode {
  kind: 'call';
  callee: string;
  calleeSpan: Span;
  args: ExprNode[];
  span: Span;
}

export interface LogicalNode {
  kind: 'and' | 'or';
  left: ExprNode;
  right: ExprNode;
  span: Span;
}

export interface NotNode {
  kind: 'not';
  arg: ExprNode;
  span: Span;
}

export interface CompareNode {
  kind: 'compare';
  op: ComparisonOperator;
  left: ExprNode;
  right: ExprNode;
  span: Span;
}

export interface InNode {
  kind: 'in';
  negated: boolean;
  left: ExprNode;
  right: ExprNode;
  span: Span;
}

export type ExprNode = LiteralNode | ListNode | PathNode | CallNode | LogicalNode | NotNode | CompareNode | InNode;

export interface EntryNode {
  key: string;
  keySpan: Span;
  value: ExprNode;
  span: Span;
}

export type ActionNode =
  | { kind: 'status'; value: LiteralNode; span: Span }
  | { kind: 'ignore' | 'defer'; until: LiteralNode; span: Span }
  | { kind: 'warn'; message?: LiteralNode; span: Span }
  | { kind: 'requireVex'; entries: EntryNode[]; span: Span }
  | { kind: 'annotate'; key: string; keySpan: Span; value: ExprNode; span: Span }
  | { kind: 'escalate'; to: LiteralNode; span: Span };

export interface RuleNode {
  name: string;
  nameSpan: Span;
  priority?: number;
  prioritySpan?: Span;
  when: ExprNode;
  then: ActionNode[];
  else?: ActionNode[];
  because: string;
  becauseSpan: Span;
  span: Span;
}

export interface PolicyNode {
  name: string;
  nameSpan: Span;
  syntax: string;
  syntaxSpan: Span;
  metadata: EntryNode[];
  settings: EntryNode[];
  rules: RuleNode[];
  span: Span;
}

export interface ParseResult {
  /** Null when the file does not even start a policy. */
  policy: PolicyNode | null;
  diagnostics: Diagnostic[];
  tokens: Token[];
  comments: Token[];
}

class SyntaxFailure extends Error {}

/** Parse one `.stella` file. Never throws; problems are diagnostics. */
export function parsePolicy(source: string, file = '<input>'): ParseResult {
  const lex = tokenize(source, file);
  const p = new Parser(lex.tokens, file, source, lex.diagnostics);
  const policy = p.parseFile();
  return { policy, diagnostics: p.diagnostics, tokens: lex.tokens, comments: lex.comments };
}

class Parser {
  private i = 0;
  readonly diagnostics: Diagnostic[];
  private readonly eofSpan: Span;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
    source: string,
    lexDiagnostics: Diagnostic[],
  ) {
    this.diagnostics = [...lexDiagnostics];
    const end = endPosition(source);
    this.eofSpan = { start: end, end };
  }

  // ---- token helpers -------------------------------------------------------------------------

  private peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  private at(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && t.text === text && t.kind !== 'string';
  }

  private atWord(word: string): boolean {
    const t = this.peek();
    return t !== undefined && (t.kind === 'keyword' || t.kind === 'identifier') && t.text === word;
  }

  private spanHere(): Span {
    return this.peek()?.span ?? this.eofSpan;
  }

  private describe(t: Token | undefined): string {
    if (!t) return 'end of file';
    if (t.kind === 'string') return `string ${t.text}`;
    return `"${t.text}"`;
  }

  private error(span: Span, message: string): void {
    this.diagnostics.push({
      file: this.file,
      line: span.start.line,
      column: span.start.column,
      endLine: span.end.line,
      endColumn: span.end.column,
      severity: 'error',
      code: 'syntax',
      message,
    });
  }

  private fail(expected: string): never {
    const t = this.peek();
    // An invalid token was already reported by the lexer (unterminated string, stray character).
    if (t?.kind !== 'invalid') this.error(this.spanHere(), `expected ${expected}, found ${this.describe(t)}`);
    throw new SyntaxFailure(expected);
  }

  private next(): Token {
    const t = this.peek();
    if (!t) this.fail('more input');
    this.i++;
    return t;
  }

  private expect(text: string, what = `"${text}"`): Token {
    if (!this.at(text)) this.fail(what);
    return this.next();
  }

  private expectWord(word: string): Token {
    if (!this.atWord(word)) this.fail(`"${word}"`);
    return this.next();
  }

  private expectKind(kind: Token['kind'], what: string): Token {
    const t = this.peek();
    if (!t || t.kind !== kind) this.fail(what);
    return this.next();
  }

  private expectIdentifier(what: string): Token {
    const t = this.peek();
    if (!t || (t.kind !== 'identifier' && t.kind !== 'keyword')) this.fail(what);
    if (['and', 'or', 'not', 'in', 'true', 'false'].includes(t.text)) this.fail(what);
    return this.next();
  }

  private optionalSemicolon(): void {
    if (this.at(';')) this.i++;
  }

  /**
   * Skip to just after the `}` that closes the block we are in (depth counts from the current token).
   * A `rule NAME` at the block's own level means its `}` is missing: stop before it so that rule parses.
   */
  private recoverToBlockEnd(depth: number): void {
    let d = depth;
    while (this.peek()) {
      if (d === 1 && this.atWord('rule') && this.isSectionStart()) return;
      const t = this.next();
      if (t.kind !== 'punctuation') continue;
      if (t.text === '{') d++;
      else if (t.text === '}') {
        d--;
        if (d <= 0) return;
      }
    }
  }

  // ---- grammar -------------------------------------------------------------------------------

  parseFile(): PolicyNode | null {
    if (!this.peek()) {
      this.error(this.eofSpan, `empty file: expected policy "NAME" syntax "${SYNTAX_ID}" { … }`);
      return null;
    }
    let policy: PolicyNode | null = null;
    try {
      policy = this.parsePolicyBlock();
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      return null;
    }
    if (this.peek()) {
      const t = this.peek() as Token;
      if (t.text === 'policy') this.error(t.span, 'a .stella file holds exactly one policy: put the second policy in its own file');
      else this.error(t.span, `unexpected ${this.describe(t)} after the end of the policy`);
    }
    return policy;
  }

  private parsePolicyBlock(): PolicyNode {
    const start = this.expectWord('policy').span.start;
    const name = this.expectKind('string', 'the policy name as a string, e.g. policy "my-policy"');
    this.expectWord('syntax');
    const syntax = this.expectKind('string', `the syntax identifier as a string, "${SYNTAX_ID}"`);
    if (syntax.value !== SYNTAX_ID) this.error(syntax.span, `unsupported syntax ${syntax.text}: expected "${SYNTAX_ID}"`);
    this.expect('{');
    const node: PolicyNode = {
      name: name.value ?? '',
      nameSpan: name.span,
      syntax: syntax.value ?? '',
      syntaxSpan: syntax.span,
      metadata: [],
      settings: [],
      rules: [],
      span: { start, end: start },
    };
    let seenMetadata = false;
    let seenSettings = false;
    for (;;) {
      const t = this.peek();
      if (!t) {
        this.error(this.eofSpan, `expected "}" to close policy "${node.name}", found end of file`);
        break;
      }
      if (this.at('}')) {
        node.span = { start, end: this.next().span.end };
        break;
      }
      try {
        if (this.atWord('metadata') || this.atWord('settings')) {
          const which = t.text as 'metadata' | 'settings';
          if ((which === 'metadata' && seenMetadata) || (which === 'settings' && seenSettings)) this.error(t.span, `a policy has one ${which} block; merge the two`);
          if (which === 'metadata') seenMetadata = true;
          else seenSettings = true;
          this.next();
          node[which].push(...this.parseEntries(which));
        } else if (this.atWord('rule')) {
          node.rules.push(this.parseRule());
        } else {
          this.fail('"metadata", "settings", "rule" or "}"');
        }
      } catch (e) {
        if (!(e instanceof SyntaxFailure)) throw e;
        this.recoverSection();
      }
    }
    return node;
  }

  /**
   * After an error at policy level (blocks recover to their own closing brace first): skip to the next
   * `rule`/`metadata`/`settings` or to the policy's closing brace, stepping over stray `{ … }` groups.
   */
  private recoverSection(): void {
    let depth = 0;
    while (this.peek()) {
      const t = this.peek() as Token;
      if (depth === 0 && (t.kind === 'keyword' || t.kind === 'identifier') && ['rule', 'metadata', 'settings'].includes(t.text) && this.isSectionStart()) return;
      if (t.kind === 'punctuation' && t.text === '}') {
        if (depth === 0) return;
        depth--;
      } else if (t.kind === 'punctuation' && t.text === '{') depth++;
      this.i++;
    }
  }

  /** `rule NAME …` or `metadata {` / `settings {` — not the word used as an identifier in an expression. */
  private isSectionStart(): boolean {
    const t = this.peek() as Token;
    const n = this.peek(1);
    if (t.text === 'rule') return n !== undefined && (n.kind === 'identifier' || n.kind === 'keyword');
    return n !== undefined && n.text === '{';
  }

  private parseEntries(block: string): EntryNode[] {
    this.expect('{', `"{" after ${block}`);
    const entries: EntryNode[] = [];
    try {
      while (!this.at('}')) {
        if (!this.peek()) this.fail(`"}" to close ${block}`);
        const key = this.expectIdentifier(`a ${block} key (NAME = VALUE) or "}"`);
        this.expect('=', `"=" after ${block} key "${key.text}"`);
        const value = this.parseValue();
        entries.push({ key: key.text, keySpan: key.span, value, span: { start: key.span.start, end: value.span.end } });
        this.optionalSemicolon();
        if (this.at(',')) this.i++;
      }
    } catch (e) {
      if (e instanceof SyntaxFailure) this.recoverToBlockEnd(1);
      throw e;
    }
    this.next();
    return entries;
  }

  /** A literal or a list of literals (metadata, settings, requireVex values). */
  private parseValue(): ExprNode {
    if (this.at('[')) return this.parseList();
    return this.parseLiteral('a value (string, number, true/false, date or [list])');
  }

  private parseLiteral(what: string): LiteralNode {
    const t = this.peek();
    if (!t) this.fail(what);
    switch (t.kind) {
      case 'string':
        this.i++;
        return { kind: 'literal', type: 'string', value: t.value ?? '', text: t.text, span: t.span };
      case 'number':
        this.i++;
        return { kind: 'literal', type: 'number', value: Number(t.text), text: t.text, span: t.span };
      case 'date':
        this.i++;
        return { kind: 'literal', type: 'date', value: t.text, text: t.text, span: t.span };
      case 'keyword':
        if (t.text === 'true' || t.text === 'false') {
          this.i++;
          return { kind: 'literal', type: 'bool', value: t.text === 'true', text: t.text, span: t.span };
        }
        return this.fail(what);
      default:
        return this.fail(what);
    }
  }

  private parseList(): ListNode {
    const open = this.expect('[');
    const items: ExprNode[] = [];
    while (!this.at(']')) {
      if (!this.peek()) this.fail('"]" to close the list');
      items.push(this.parseLiteral('a literal in the list (string, number, true/false or date)'));
      if (this.at(',')) this.i++;
      else if (!this.at(']')) this.fail('"," or "]" in the list');
    }
    const close = this.next();
    return { kind: 'list', items, span: { start: open.span.start, end: close.span.end } };
  }

  private parseRule(): RuleNode {
    const start = this.expectWord('rule').span.start;
    const name = this.expectIdentifier('a rule name (letters, digits, _), e.g. rule block_kev');
    let priority: number | undefined;
    let prioritySpan: Span | undefined;
    if (this.atWord('priority')) {
      this.next();
      const n = this.expectKind('number', 'a whole number after "priority"');
      prioritySpan = n.span;
      priority = Number(n.text);
      if (!Number.isInteger(priority) || priority < 0) this.error(n.span, `priority ${n.text}: expected a whole number ≥ 0`);
    }
    this.expect('{', `"{" to open rule ${name.text}`);
    try {
      this.expectWord('when');
      const when = this.parseExpr();
      this.expectWord('then');
      const then = this.parseActions('then');
      let elseActions: ActionNode[] | undefined;
      if (this.atWord('else')) {
        this.next();
        elseActions = this.parseActions('else');
      }
      if (!this.atWord('because')) this.fail(`"because \\"…\\"" (every rule says why)${elseActions ? '' : ', "else"'} or another action`);
      this.next();
      const because = this.expectKind('string', 'the reason as a string after "because"');
      this.optionalSemicolon();
      const close = this.expect('}', `"}" to close rule ${name.text}`);
      return {
        name: name.text,
        nameSpan: name.span,
        ...(priority !== undefined ? { priority, prioritySpan } : {}),
        when,
        then,
        ...(elseActions ? { else: elseActions } : {}),
        because: because.value ?? '',
        becauseSpan: because.span,
        span: { start, end: close.span.end },
      };
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      // Skip the rest of this rule's body (we are inside its braces); the rule is not compiled.
      this.recoverToBlockEnd(1);
      throw e;
    }
  }

  private parseActions(branch: 'then' | 'else'): ActionNode[] {
    const actions: ActionNode[] = [];
    for (;;) {
      const a = this.parseAction();
      if (!a) break;
      actions.push(a);
      this.optionalSemicolon();
    }
    if (!actions.length) this.fail(`an action after "${branch}" (status := "…", ignore until DATE, defer until DATE, warn, requireVex { … }, annotate K := V, escalate to "…")`);
    return actions;
  }

  private parseAction(): ActionNode | null {
    const t = this.peek();
    if (!t || (t.kind !== 'keyword' && t.kind !== 'identifier')) return null;
    const start = t.span.start;
    switch (t.text) {
      case 'status': {
        this.next();
        this.expect(':=', '":=" after status');
        const v = this.parseLiteral('a status string, e.g. status := "blocked"');
        return { kind: 'status', value: v, span: { start, end: v.span.end } };
      }
      case 'ignore':
      case 'defer': {
        this.next();
        this.expectWord('until');
        const d = this.parseLiteral(`a date after "${t.text} until", e.g. 2026-06-30`);
        return { kind: t.text, until: d, span: { start, end: d.span.end } };
      }
      case 'warn': {
        const w = this.next();
        if (this.atWord('message')) {
          this.next();
          const m = this.parseLiteral('the warning text as a string after "message"');
          return { kind: 'warn', message: m, span: { start, end: m.span.end } };
        }
        return { kind: 'warn', span: w.span };
      }
      case 'requireVex': {
        this.next();
        const entriesStart = this.spanHere();
        const entries = this.parseEntries('requireVex');
        return { kind: 'requireVex', entries, span: { start, end: entries.at(-1)?.span.end ?? entriesStart.end } };
      }
      case 'annotate': {
        this.next();
        const key = this.expectIdentifier('an annotation key after "annotate"');
        this.expect(':=', `":=" after annotate ${key.text}`);
        const value = this.parsePrimary();
        return { kind: 'annotate', key: key.text, keySpan: key.span, value, span: { start, end: value.span.end } };
      }
      case 'escalate': {
        this.next();
        this.expectWord('to');
        const to = this.parseLiteral('a severity string after "escalate to", e.g. "critical"');
        return { kind: 'escalate', to, span: { start, end: to.span.end } };
      }
      default:
        return null;
    }
  }

  // ---- expressions: or > and > not > comparison > primary ------------------------------------

  parseExpr(): ExprNode {
    let left = this.parseAnd();
    while (this.atWord('or')) {
      this.next();
      const right = this.parseAnd();
      left = { kind: 'or', left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private parseAnd(): ExprNode {
    let left = this.parseNot();
    while (this.atWord('and')) {
      this.next();
      const right = this.parseNot();
      left = { kind: 'and', left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private parseNot(): ExprNode {
    if (this.atWord('not')) {
      const t = this.next();
      const arg = this.parseNot();
      return { kind: 'not', arg, span: { start: t.span.start, end: arg.span.end } };
    }
    return this.parseComparison();
  }

  private parseComparison(): ExprNode {
    const left = this.parsePrimary();
    const t = this.peek();
    if (t && t.kind === 'operator' && (COMPARISON_OPERATORS as readonly string[]).includes(t.text)) {
      this.next();
      const right = this.parsePrimary();
      return { kind: 'compare', op: t.text as ComparisonOperator, left, right, span: { start: left.span.start, end: right.span.end } };
    }
    if (t && t.kind === 'operator' && t.text === '=') {
      this.error(t.span, 'single "=" in a condition: use "==" to compare');
      this.next();
      const right = this.parsePrimary();
      return { kind: 'compare', op: '==', left, right, span: { start: left.span.start, end: right.span.end } };
    }
    if (this.atWord('in') || (this.atWord('not') && this.peek(1)?.text === 'in')) {
      const negated = this.atWord('not');
      if (negated) this.next();
      this.next();
      const right = this.parsePrimary();
      return { kind: 'in', negated, left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private parsePrimary(): ExprNode {
    const t = this.peek();
    if (!t) return this.fail('a condition');
    if (t.kind === 'punctuation' && t.text === '(') {
      this.next();
      const e = this.parseExpr();
      this.expect(')', '")" to close "("');
      return e;
    }
    if (t.kind === 'punctuation' && t.text === '[') return this.parseList();
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'date' || (t.kind === 'keyword' && (t.text === 'true' || t.text === 'false'))) {
      return this.parseLiteral('a value');
    }
    if (t.kind === 'identifier' || (t.kind === 'keyword' && !['and', 'or', 'not', 'in'].includes(t.text))) {
      return this.parsePathOrCall();
    }
    return this.fail('a field, a function call, a literal or "("');
  }

  private parsePathOrCall(): ExprNode {
    const first = this.next();
    const segments = [first.text];
    let end: Position = first.span.end;
    while (this.at('.')) {
      this.next();
      const seg = this.peek();
      if (!seg || (seg.kind !== 'identifier' && seg.kind !== 'keyword')) this.fail(`a name after "${segments.join('.')}."`);
      this.next();
      segments.push(seg.text);
      end = seg.span.end;
    }
    const pathSpan: Span = { start: first.span.start, end };
    if (this.at('(')) {
      this.next();
      const args: ExprNode[] = [];
      while (!this.at(')')) {
        if (!this.peek()) this.fail(`")" to close ${segments.join('.')}(`);
        args.push(this.parseExpr());
        if (this.at(',')) this.next();
        else if (!this.at(')')) this.fail(`"," or ")" in the arguments of ${segments.join('.')}`);
      }
      const close = this.next();
      return { kind: 'call', callee: segments.join('.'), calleeSpan: pathSpan, args, span: { start: first.span.start, end: close.span.end } };
    }
    return { kind: 'path', segments, span: pathSpan };
  }
}

function endPosition(source: string): Position {
  let line = 1;
  let column = 1;
  for (let i = 0; i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column, offset: source.length };
}
