/// Random runs of the room: a few connections, a few nicknames that collide once folded, and time that only
/// moves forward. The generator keeps a rough guess of each connection's phase so that most runs get people
/// into the room and talking; the guess only steers the odds, the properties judge the real outcome.
module ChatRoom.Core.Specs.Scenarios

open System
open ChatRoom.Core.Auth
open ChatRoom.Core.Protocol
open ChatRoom.Core.Room
open FsCheck
open FsCheck.FSharp
open Interop

let ids = [ 1..6 ]

/// "Alice", "ALICE", "alice" and the full-width "Ａｌｉｃｅ" are one person once folded; so are "Δήμητρα" and "ΔΉΜΗΤΡΑ".
/// "aIice" (a capital I) is someone else who looks like alice, and "ɑlice" (a Latin alpha) another.
let goodNicks = [ "Alice"; "ALICE"; "alice"; "Ａｌｉｃｅ"; "aIice"; "ɑlice"; "Bob"; "北落"; "Δήμητρα"; "ΔΉΜΗΤΡΑ"; "carol_2" ]

let badNicks = [ ""; "two words" ]

let addresses = [ "10.0.0.1"; "10.0.0.2"; "::1" ]

let start = DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero)

/// Where the generator believes a connection is; it can be wrong (a LOGIN refused with 409, a timeout).
type Guess =
    | Fresh
    | Checking of nick: string
    | Resuming of nick: string
    | Admitted of nick: string

type Plan = Map<int, Guess>

/// The resume token every RESUME presents; the shell's answer (TokenChecked) says whether it is good.
let private token = Secret("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")

/// A LOGIN (or a RESUME, one time in four), mostly for a nickname that `taken` says is free.
let private login taken =
    let free = goodNicks |> List.filter (not << taken)
    let likely = if free.IsEmpty then Gen.elements goodNicks else Gen.frequency [ 4, Gen.elements free; 1, Gen.elements goodNicks ]
    gen {
        let! nick = Gen.frequency [ 8, likely; 1, Gen.elements badNicks ]
        let! password = Gen.frequency [ 6, Gen.constant "secret"; 1, Gen.constant "pass word"; 2, Gen.constant "" ]
        let! token = Gen.elements [ token; Secret.None ]
        let! resume = Gen.frequency [ 3, Gen.constant false; 1, Gen.constant true ]
        return if resume then succ (Command.Resume(nick, token)) else succ (Command.Login(nick, password))
    }

let private say = Gen.elements [ "hi"; "你好，北落"; "two  spaces"; "SAY SAY" ] |> Gen.map (fun text -> succ (Command.Say text))

let private whisper =
    Gen.map2 (fun nick text -> succ (Command.Whisper(nick, text))) (Gen.elements goodNicks) (Gen.elements [ "psst"; "秘密" ])

let private chatter =
    Gen.oneof
        [ Gen.constant (succ (Command.Who()))
          Gen.elements [ ""; "t1" ] |> Gen.map (fun token -> succ (Command.Ping token))
          Gen.elements [ ""; Room.KeepaliveToken ] |> Gen.map (fun token -> succ (Command.Pong token)) ]

let private quit = Gen.elements [ ""; "bye now" ] |> Gen.map (fun reason -> succ (Command.Quit reason))

/// Lines that failed to frame or decode, and real lines run through the real decoder.
let private noise =
    Gen.oneof
        [ Gen.elements [ fail 400 "x"; fail ErrorCodes.LineTooLong "line too long"; fail ErrorCodes.Invalid "bad text" ]
          Gen.elements
              [ "SAY hello there"
                "say lower case"
                "LOGIN Bob secret"
                "login 北落 pass word"
                "LOGIN ALICE"
                "WHO now"
                "WHISPER alice hey"
                "QUIT"
                "NOPE"
                "SAY "
                "LOGIN bad\u0000nick x" ]
          |> Gen.map CommandCodec.Decode ]

let private lineFor taken guess =
    let login = login taken
    match guess with
    | Some Fresh -> Gen.frequency [ 8, login; 1, say; 1, chatter; 1, quit; 1, noise ]
    | Some(Checking _)
    | Some(Resuming _) -> Gen.frequency [ 1, login; 1, say; 2, chatter; 1, quit; 1, noise ]
    | Some(Admitted _) -> Gen.frequency [ 8, say; 3, whisper; 2, chatter; 1, login; 1, quit; 1, noise ]
    | None -> Gen.oneof [ login; say; chatter; noise ]

/// The next input at time `at`, and the plan after it.
let private next (plan: Plan) (at: DateTimeOffset) : Gen<Input * Plan> =
    let known = Map.keys plan |> List.ofSeq
    let anyId = Gen.elements ids
    let unknown = ids |> List.filter (not << plan.ContainsKey)
    let someId = if known.IsEmpty then anyId else Gen.frequency [ 19, Gen.elements known; 1, anyId ]
    let online nick =
        plan
        |> Map.exists (fun _ guess ->
            match guess with
            | Admitted other -> Syntax.FoldNick other = Syntax.FoldNick nick || ChatRoom.Core.Names.Lookalike.LookAlike(other, nick)
            | _ -> false)
    let checking = [ for KeyValue(id, guess) in plan do match guess with Checking nick -> yield id, nick | _ -> () ]
    let resuming = [ for KeyValue(id, guess) in plan do match guess with Resuming nick -> yield id, nick | _ -> () ]

    let opened =
        gen {
            let! id = if unknown.IsEmpty then anyId else Gen.frequency [ 9, Gen.elements unknown; 1, anyId ]
            let! address = Gen.elements addresses
            let! port = Gen.choose (1024, 65535)
            let plan = if plan.ContainsKey id then plan else plan.Add(id, Fresh)
            return Input.Opened(conn id, address, port, at) :> Input, plan
        }

    let received =
        gen {
            let! id = someId
            let! line = lineFor online (plan.TryFind id)
            let plan =
                match plan.TryFind id, commandOf line with
                | Some Fresh, Some(:? Command.Login as l) ->
                    let checking = l.Password <> "" && Syntax.IsValidNick l.Nick && not (online l.Nick)
                    if checking then plan.Add(id, Checking l.Nick) else plan
                | Some Fresh, Some(:? Command.Resume as r) ->
                    let resuming = not r.Token.IsEmpty && Syntax.IsValidNick r.Nick && not (online r.Nick)
                    if resuming then plan.Add(id, Resuming r.Nick) else plan
                | _, Some(:? Command.Quit) -> plan.Remove id
                | _ -> plan
            return Input.Received(conn id, line, at) :> Input, plan
        }

    let verdict =
        gen {
            let! id, nick = Gen.elements checking
            let! answeredFor = Gen.frequency [ 6, Gen.constant nick; 1, Gen.elements goodNicks ]
            let! verdict =
                Gen.frequency
                    [ 5, Gen.constant AuthVerdict.Accepted
                      3, Gen.constant AuthVerdict.Registered
                      1, Gen.constant AuthVerdict.UnknownUser
                      1, Gen.constant AuthVerdict.WrongPassword ]
            let admitted = verdict = AuthVerdict.Accepted || verdict = AuthVerdict.Registered
            let plan =
                if Syntax.FoldNick answeredFor <> Syntax.FoldNick nick then plan
                elif admitted && online nick then plan.Add(id, Fresh)
                elif admitted then plan.Add(id, Admitted nick)
                else plan.Remove id
            return Input.LoginChecked(conn id, answeredFor, verdict, at) :> Input, plan
        }

    // The shell's look-up of a RESUME's token: found and fresh, found but expired, or not found.
    let tokenChecked =
        gen {
            let! id, nick = Gen.elements resuming
            let! answeredFor = Gen.frequency [ 6, Gen.constant nick; 1, Gen.elements goodNicks ]
            let! expires =
                Gen.frequency
                    [ 5, Gen.constant (LanguageExt.Option<DateTimeOffset>.Some(at.AddDays 30.0))
                      1, Gen.constant (LanguageExt.Option<DateTimeOffset>.Some(at.AddSeconds -1.0))
                      2, Gen.constant LanguageExt.Option<DateTimeOffset>.None ]
            let admitted = expires.Exists(fun e -> e > at)
            let plan =
                if Syntax.FoldNick answeredFor <> Syntax.FoldNick nick then plan.Remove id
                elif admitted && online nick then plan.Add(id, Fresh)
                elif admitted then plan.Add(id, Admitted nick)
                else plan.Remove id
            return Input.TokenChecked(conn id, answeredFor, expires, at) :> Input, plan
        }

    let closed =
        gen {
            let! id = someId
            let! reason = Gen.elements [ "peer closed"; "send queue full" ]
            return Input.Closed(conn id, reason, at) :> Input, plan.Remove id
        }

    // Time mostly moves in small steps; a tick may come after a long silence, enough for a login timeout,
    // a keepalive PING or a ping timeout.
    let tick =
        Gen.frequency [ 2, Gen.constant 0; 1, Gen.choose (5_000, 65_000) ]
        |> Gen.map (fun ms -> Input.Tick(at.AddMilliseconds(float ms)) :> Input, plan)

    let shutdown = Gen.constant (Input.Shutdown at :> Input, Map.empty)

    // `chatroom-host users remove`: whoever is online with that nickname (in any case) is put out.
    let accountRemoved =
        gen {
            let! nick = Gen.elements goodNicks
            let gone id = match Map.tryFind id plan with | Some(Admitted n) -> Syntax.FoldNick n = Syntax.FoldNick nick | _ -> false
            return Input.AccountsRemoved(LanguageExt.Prelude.toSeq [ nick ], at) :> Input, plan |> Map.filter (fun id _ -> not (gone id))
        }

    // Weights out of about 400: a shutdown wipes the room, so it comes about once in four long runs.
    [ (if known.Length < ids.Length then 60 else 10), opened
      (if known.IsEmpty then 10 else 200), received
      (if checking.IsEmpty then 0 else 80), verdict
      (if resuming.IsEmpty then 0 else 60), tokenChecked
      15, closed
      40, tick
      5, accountRemoved
      1, shutdown ]
    |> List.filter (fun (weight, _) -> weight > 0)
    |> Gen.frequency

let rec private inputs count plan (now: DateTimeOffset) : Gen<Input list> =
    if count = 0 then
        Gen.constant []
    else
        gen {
            let! ms = Gen.choose (0, 1500)
            let! input, plan = next plan (now.AddMilliseconds(float ms))
            let! rest = inputs (count - 1) plan input.At
            return input :: rest
        }

let describeLine (line: LanguageExt.Fin<Command>) =
    match line.Case with
    | :? Command as command ->
        match (CommandCodec.Encode command).Case with
        | :? string as text -> text
        | _ -> string command
    | :? LanguageExt.Common.Error as error -> sprintf "<decode error %d %s>" error.Code error.Message
    | other -> string other

let describe (input: Input) =
    let what =
        match input with
        | :? Input.Opened as o -> sprintf "%O opens from %s" o.Id o.Address
        | :? Input.Received as r -> sprintf "%O sends %s" r.Id (describeLine r.Line)
        | :? Input.LoginChecked as c -> sprintf "%O password checked for %s: %O" c.Id c.Nick c.Verdict
        | :? Input.TokenChecked as c ->
            sprintf "%O token looked up for %s: %s" c.Id c.Nick (c.Expires.Match((fun e -> sprintf "expires %O" e), (fun () -> "not found")))
        | :? Input.Closed as c -> sprintf "%O closed (%s)" c.Id c.Reason
        | :? Input.Tick -> "tick"
        | :? Input.AccountsRemoved as r -> sprintf "account removed: %s" (String.Join(", ", r.Nicks))
        | :? Input.Shutdown -> "shutdown"
        | other -> string other
    sprintf "%9.3fs  %s" (input.At - start).TotalSeconds what

/// A run of inputs in time order. Printed one input a line, so a shrunk counterexample reads as a script.
[<StructuredFormatDisplay("{Script}")>]
type Scenario =
    { Inputs: Input list }

    member this.Script = this.Inputs |> List.map describe |> String.concat "\n" |> sprintf "\n%s\n"

    /// When the run ends (or starts, if it is empty).
    member this.End = this.Inputs |> List.fold (fun _ (input: Input) -> input.At) start

/// Removes runs of inputs, long ones first. Any sublist of a time-ordered run is still time-ordered,
/// and an input whose connection was never opened is just ignored by the room, so every shrink is a valid run.
let shrinkInputs (xs: 'a list) =
    let n = List.length xs
    seq {
        let mutable width = n / 2
        while width > 0 do
            for from in 0..width .. n - 1 do
                yield List.take from xs @ List.skip (min n (from + width)) xs
            width <- width / 2
    }

/// The order in which a test closes the connections still open.
type CloseOrder = CloseOrder of int list

type Generators =
    static member Scenarios() : Arbitrary<Scenario> =
        let scenario = Gen.sized (fun size -> inputs size Map.empty start) |> Gen.map (fun xs -> { Inputs = xs })
        Arb.fromGenShrink (scenario, fun s -> shrinkInputs s.Inputs |> Seq.map (fun xs -> { Inputs = xs }))

    static member CloseOrders() : Arbitrary<CloseOrder> =
        Gen.shuffle ids |> Gen.map (List.ofArray >> CloseOrder) |> Arb.fromGen
