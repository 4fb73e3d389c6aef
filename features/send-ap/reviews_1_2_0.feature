@v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
Feature: After a review meeting (version 1.2.0)
  The report of a review meeting is prepared within 2 weeks by whoever arranged the meeting: the
  head teacher or principal when the local authority required them to (SEND Regulations 2014
  reg 20), the local authority for a child not in a school or institution (reg 21(7)). Within 4
  weeks of the meeting the local authority decides to maintain, amend or cease the plan (regs 20
  and 21). Since R (L) v Devon CC [2022] EWHC 493 (Admin), a decision to amend goes with the
  proposed amendments, and the final amended plan is due within 12 weeks of the meeting; a
  decision not to amend gives reasons and the appeal rights (reg 22(4), reg 32).

  A meeting on Tuesday 12 May 2026: report due 26 May 2026, decision and proposed amendments
  due 9 June 2026 (4 weeks), amended plan due 4 August 2026 (12 weeks).

  Background:
    Given a child born on 14 March 2015

  Rule: ehc.review_report - the report within 2 weeks, by whoever arranged the meeting

    Scenario: The school arranged the meeting and sends the report in time
      Given a review meeting held on Tuesday 12 May 2026, arranged by the school
      And the review report sent on 26 May 2026
      When the duties are decided on 1 June 2026
      Then the duty "ehc.review_report" for the review meeting is met, due on 26 May 2026
      And the duty was satisfied by the review report
      And the school holds the duty
      And the duty cites "SEND Regulations 2014 reg 20"
      And the duty cites "SEND Regulations 2014 reg 21(7)"

    Scenario: The local authority arranged the meeting and sends the report late
      Given a review meeting held on 12 May 2026, arranged by the local authority
      And the review report sent on 27 May 2026
      When the duties are decided on 1 June 2026
      Then the duty "ehc.review_report" for the review meeting is late, due on 26 May 2026
      And the local authority holds the duty

    Scenario: Without a record of who arranged it, the local authority holds the duty
      Given a review meeting held on 12 May 2026
      When the duties are decided on 27 May 2026
      Then the duty "ehc.review_report" for the review meeting is overdue, due on 26 May 2026
      And the local authority holds the duty

  Rule: ehc.review_decision - decide within 4 weeks of the meeting (regs 20 and 21)

    Scenario: The decision comes in time
      Given a review meeting held on 12 May 2026
      And the local authority decided on 9 June 2026 to maintain the plan
      When the duties are decided on 1 July 2026
      Then the duty "ehc.review_decision" for the review meeting is met, due on 9 June 2026
      And the duty cites "SEND Regulations 2014 reg 20"
      And the duty cites "SEND Regulations 2014 reg 21"

    Scenario: The decision comes late
      Given a review meeting held on 12 May 2026
      And the local authority decided on 10 June 2026 to cease the plan
      When the duties are decided on 1 July 2026
      Then the duty "ehc.review_decision" for the review meeting is late, due on 9 June 2026

  Rule: ehc.review_amendment_proposals and ehc.review_amended_plan - the Devon timetable

    Scenario: Amendments proposed with the decision and the amended plan within 12 weeks
      Given a review meeting held on 12 May 2026
      And the local authority decided on 2 June 2026 to amend the plan
      And amendments to the plan proposed on 2 June 2026
      And the amended EHC plan issued on 28 July 2026
      When the duties are decided on 1 September 2026
      Then the duty "ehc.review_amendment_proposals" for the review meeting is met, due on 9 June 2026
      And the duty was satisfied by the proposed amendments
      And the local authority holds the duty
      And the duty cites "R (L) v Devon CC [2022] EWHC 493 (Admin)"
      And the duty cites "SEND Regulations 2014 reg 22(2)"
      And the duty "ehc.review_amended_plan" for the review meeting is met, due on 4 August 2026
      And the duty was satisfied by the amended plan
      And the duty cites "SEND Regulations 2014 reg 22(3)"

    Scenario: Amendments proposed after the decision make the amended plan late even within 8 weeks of them
      Given a review meeting held on 12 May 2026
      And the local authority decided on 2 June 2026 to amend the plan
      And amendments to the plan proposed on 23 June 2026
      And the amended EHC plan issued on 18 August 2026
      When the duties are decided on 1 September 2026
      Then the duty "ehc.review_amendment_proposals" for the review meeting is late, due on 9 June 2026
      And the duty "ehc.amended_plan" for the proposed amendments is met, due on 18 August 2026
      And the duty "ehc.review_amended_plan" for the review meeting is late, due on 4 August 2026

    Scenario: No proposals after a decision to amend are overdue after 4 weeks
      Given a review meeting held on 12 May 2026
      And the local authority decided on 2 June 2026 to amend the plan
      When the duties are decided on 9 June 2026
      Then the duty "ehc.review_amendment_proposals" for the review meeting is pending, due on 9 June 2026
      When the duties are decided on 10 June 2026
      Then the duty "ehc.review_amendment_proposals" for the review meeting is overdue, due on 9 June 2026
      When the duties are decided on 5 August 2026
      Then the duty "ehc.review_amended_plan" for the review meeting is overdue, due on 4 August 2026

    Scenario: A decision to maintain the plan brings no amendment timetable
      Given a review meeting held on 12 May 2026
      And the local authority decided on 2 June 2026 to maintain the plan
      When the duties are decided on 1 September 2026
      Then no duty "ehc.review_amendment_proposals" applies
      And no duty "ehc.review_amended_plan" applies

  Rule: ehc.review_no_amendment_notice - reasons and appeal rights with a decision not to amend

    Scenario: The notice gives reasons and the appeal rights
      Given a review meeting held on 12 May 2026
      And the local authority decided on 2 June 2026 to maintain the plan, with reasons and the appeal rights
      When the duties are decided on 1 July 2026
      Then the duty "ehc.review_no_amendment_notice" for the review decision is met, with no due date
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 22(4)"

    Scenario: The notice leaves them out
      Given a review meeting held on 12 May 2026
      And the local authority decided on 2 June 2026 to maintain the plan, without reasons and the appeal rights
      When the duties are decided on 1 July 2026
      Then the duty "ehc.review_no_amendment_notice" for the review decision is breached

    Scenario: A decision whose notice is not recorded is not judged
      Given a review meeting held on 12 May 2026
      And the local authority decided on 2 June 2026 to maintain the plan
      When the duties are decided on 1 July 2026
      Then no duty "ehc.review_no_amendment_notice" applies
