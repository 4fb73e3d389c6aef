@v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
Feature: Advice for an EHC needs assessment, as regulation 8 reads (version 1.2.0)
  SEND Regulations 2014 reg 8(1): where a local authority requests the co-operation of a body in
  securing an EHC needs assessment in accordance with section 31 of the Act, that body must
  comply within 6 weeks of the date on which it receives the request. Reg 8(2): it need not if
  that is impractical because of exceptional circumstances, the family's absence from the area
  for at least 4 weeks, or a missed appointment for an examination or test. Version 1.2.0 applies
  the limit to requests recorded as section 31 requests, and to medical advice (asked of the
  health commissioning body, a local partner) when that is not recorded. The reg 8(2) grounds
  are their own exception: the reg 10(4) exception excuses other time limits, not this one.

  Advice requested on Monday 17 February 2025 is due on 31 March 2025 (17 February + 6 weeks).

  Background:
    Given a child born on 14 March 2015
    And a request for an EHC needs assessment received on 6 January 2025
    And the local authority decided on 14 February 2025 to carry out the assessment

  Rule: ehc.advice_response - a body asked under section 31 gives its advice within 6 weeks

    Scenario: The integrated care board gives medical advice in time
      Given medical advice requested on 17 February 2025
      And the medical advice received on 21 March 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the medical advice request is met, due on 31 March 2025
      And the duty was satisfied by the medical advice
      And the integrated care board holds the duty
      And the duty is a "must"
      And the duty cites "SEND Regulations 2014 reg 8(1)"
      And the duty cites "SEND Regulations 2014 reg 8(2)"
      And the duty cites "Children and Families Act 2014 s31"

    Scenario Outline: Educational advice asked for under section 31, on the days around the due date
      Given educational advice requested on 17 February 2025, as a co-operation request under section 31
      And the educational advice received on <received>
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the educational advice request is <status>, due on 31 March 2025
      And the school holds the duty

      Examples:
        | received      | status |
        | 31 March 2025 | met    |
        | 1 April 2025  | late   |

    Scenario: Medical advice not given is pending on the due date and overdue the next day
      Given medical advice requested on 17 February 2025
      When the duties are decided on 31 March 2025
      Then the duty "ehc.advice_response" for the medical advice request is pending, due on 31 March 2025
      When the duties are decided on 1 April 2025
      Then the duty "ehc.advice_response" for the medical advice request is overdue, due on 31 March 2025

    Scenario: Educational advice not recorded as a section 31 request has no statutory time limit here
      Given educational advice requested on 17 February 2025
      When the duties are decided on 1 June 2025
      Then no duty "ehc.advice_response" applies

    Scenario: Medical advice recorded as not asked under section 31 has no statutory time limit here
      Given medical advice requested on 17 February 2025, not as a co-operation request under section 31
      When the duties are decided on 1 June 2025
      Then no duty "ehc.advice_response" applies

    Scenario: A missed appointment excuses the late advice (reg 8(2)(c))
      Given medical advice requested on 17 February 2025
      And an exception to the advice time limit claimed on 10 March 2025 because of a missed appointment
      When the duties are decided on 1 June 2025
      Then the duty "ehc.advice_response" for the medical advice request is exempt, due on 31 March 2025
      And the duty was excused by the advice exception

    Scenario: The reg 10(4) exception does not excuse late advice
      Given medical advice requested on 17 February 2025
      And an exception to the time limit applied on 10 March 2025 because of exceptional personal circumstances
      When the duties are decided on 1 April 2025
      Then the duty "ehc.advice_response" for the medical advice request is overdue, due on 31 March 2025
      And no exception applies
