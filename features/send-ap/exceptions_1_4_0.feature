@v1.4.0 @v1.5.0
Feature: Time-limit exceptions that excuse only what the law excuses (version 1.4.0)
  Each statutory time limit has its own exceptions, listed in its own regulation: the local
  authority "need not comply with the time limit ... if it is impractical to do so because" of
  a ground the regulation lists (SEND Regulations 2014 reg 5(4) for the decision whether to
  assess, reg 10(4) for the notice that no plan will be issued, reg 13(3) for the final plan,
  reg 27(3) for a re-assessment plan), and "a body need not comply" with the 6-week advice
  limit for a reason of reg 8(2), the body's own. From version 1.4.0 an exception excuses a time
  limit only when its ground is one that limit's regulation lists, and an advice exception only
  the request it answers. From 1 May to 25 September 2020 a reason relating to coronavirus was
  also a ground (SI 2020/471). The ground is the recorder's claim; the engine does not check it.

  A request received on Monday 6 January 2025: decision due 17 February 2025 (6 weeks), final
  plan due 26 May 2025 (20 weeks). Advice requested on 17 February 2025 is due on 31 March 2025.

  Background:
    Given a child born on 14 March 2015

  Rule: an exception excuses only the time limits whose regulation lists its ground

    Scenario: An early years closure is not a ground for the 6-week decision (reg 5(4))
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 6 January 2025 because of an early years closure
      And the local authority decided on 24 February 2025 to carry out the assessment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.assessment_decision" for the request is late, due on 17 February 2025
      And no exception applies

    Scenario: An early years closure is a ground for the 20-week final plan (reg 13(3), reg 10(4)(b))
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 6 January 2025 because of an early years closure
      And the local authority decided on 14 February 2025 to carry out the assessment
      And the final EHC plan issued on 10 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "ehc.final_plan" for the request is exempt, due on 26 May 2025
      And the duty was excused by the exception
      And the explanation says "the recorder's claim"
      And the explanation says "15 days after the due date"

    Scenario Outline: An exception dated around the due date of the final plan
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on <claimed> because of absence from the area
      And the local authority decided on 14 February 2025 to carry out the assessment
      And the final EHC plan issued on 10 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "ehc.final_plan" for the request is <status>, due on 26 May 2025

      Examples:
        | claimed     | status |
        | 25 May 2025 | exempt |
        | 26 May 2025 | exempt |
        | 27 May 2025 | late   |

  Rule: an advice exception excuses the request of the body that claims it (reg 8(2))

    Scenario: The health body's missed appointment does not excuse the school's late advice
      Given medical advice requested on 17 February 2025
      And educational advice requested on 17 February 2025, as a co-operation request under section 31
      And an exception to the advice time limit claimed on 10 March 2025 because of a missed appointment in response to the medical advice request
      When the duties are decided on 1 April 2025
      Then the duty "ehc.advice_response" for the medical advice request is exempt, due on 31 March 2025
      And the duty was excused by the advice exception
      And the duty "ehc.advice_response" for the educational advice request is overdue, due on 31 March 2025

  Rule: a reason relating to coronavirus was a ground from 1 May to 25 September 2020 (SI 2020/471)

    Scenario Outline: A coronavirus exception around the start and end of the modifications
      Given a request for an EHC needs assessment received on <requested>
      And an exception to the time limit applied on <claimed> because of a reason relating to coronavirus
      And the final EHC plan issued on 2 November 2020
      When the duties are decided on 1 December 2020
      Then the duty "ehc.final_plan" for the request is <status>, due on <due>

      Examples:
        | requested    | claimed           | due             | status |
        | 2 March 2020 | 30 April 2020     | 20 July 2020    | late   |
        | 2 March 2020 | 1 May 2020        | 20 July 2020    | exempt |
        | 1 June 2020  | 25 September 2020 | 19 October 2020 | exempt |
        | 1 June 2020  | 26 September 2020 | 19 October 2020 | late   |
